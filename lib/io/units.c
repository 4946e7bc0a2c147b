/* Units, format names and label copying shared by the backends. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "io/reader_internal.h"

double etw_unit_to_volts(const char *unit)
{
    if (unit == NULL) {
        return 0.0;
    }
    static const struct {
        const char *name;
        double factor;
    } units[] = {{"V", 1.0},     {"mV", 1e-3}, {"mv", 1e-3},       {"uV", 1e-6},
                 {"uv", 1e-6},   {"\xc2\xb5V", 1e-6}, {"\xce\xbcV", 1e-6}, {"nV", 1e-9},
                 {"nv", 1e-9},   {"v", 1.0},   {"kV", 1e3}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(unit, units[i].name) == 0) {
            return units[i].factor;
        }
    }
    return 0.0;
}

etw_status etw_format_from_name(const char *name, etw_format *format)
{
    if (name == NULL || format == NULL) {
        return ETW_ERR_NULL;
    }
    static const struct {
        const char *name;
        etw_format format;
    } names[] = {{"auto", ETW_FORMAT_AUTO}, {"wfdb", ETW_FORMAT_WFDB},  {"text", ETW_FORMAT_TEXT},
                 {"csv", ETW_FORMAT_TEXT},  {"tsv", ETW_FORMAT_TEXT},   {"txt", ETW_FORMAT_TEXT},
                 {"edf", ETW_FORMAT_EDF},   {"bdf", ETW_FORMAT_EDF},    {"sound", ETW_FORMAT_SOUND},
                 {"wav", ETW_FORMAT_SOUND}, {"flac", ETW_FORMAT_SOUND}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *format = names[i].format;
            return ETW_OK;
        }
    }
    return ETW_ERR_NOT_FOUND;
}

void etw_copy_trimmed(char *dst, size_t cap, const char *src, size_t len)
{
    while (len > 0 && isspace((unsigned char)*src)) {
        src++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)src[len - 1])) {
        len--;
    }
    if (len >= cap) {
        len = cap - 1;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}
