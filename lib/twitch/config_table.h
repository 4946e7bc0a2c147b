/* Internal view of the parameter table (lib/twitch/config.c). */
#ifndef ETW_TWITCH_CONFIG_TABLE_H
#define ETW_TWITCH_CONFIG_TABLE_H

#include "emgtwitch/twitch.h"

/* One parameter: its public description and where the field lives in etw_twitch_config. */
typedef struct etw_twitch_param_entry {
    etw_twitch_param pub;
    size_t offset;
} etw_twitch_param_entry;

/* Entry whose name equals name[0..len), or NULL. */
const etw_twitch_param_entry *etw_twitch_param_find(const char *name, size_t len);

/* Current value of the entry's field (ints converted). */
double etw_twitch_param_read(const etw_twitch_config *cfg, const etw_twitch_param_entry *p);

/* Upper band edge actually used: lowpass_hz capped at 0.45 fs. */
double etw_twitch_upper_edge(const etw_twitch_config *cfg);

#endif
