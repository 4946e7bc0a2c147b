/* Names and messages of etw_status, generated from ETW_STATUS_LIST. */
#include "emgtwitch/common.h"

const char *etw_strerror(etw_status status)
{
    switch (status) {
#define ETW_STATUS_MESSAGE_(name, value, message) \
    case ETW_##name:                              \
        return message;
        ETW_STATUS_LIST(ETW_STATUS_MESSAGE_)
#undef ETW_STATUS_MESSAGE_
    }
    return "unknown emgtwitch status";
}

const char *etw_status_name(etw_status status)
{
    switch (status) {
#define ETW_STATUS_NAME_(name, value, message) \
    case ETW_##name:                           \
        return "ETW_" #name;
        ETW_STATUS_LIST(ETW_STATUS_NAME_)
#undef ETW_STATUS_NAME_
    }
    return "ETW_UNKNOWN";
}
