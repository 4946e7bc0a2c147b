/**
 * @file emgtwitch.h
 * @brief Umbrella header: includes every public header of the core library.
 *
 * Link `emgtwitch::emgtwitch` (CMake) or `pkg-config emgtwitch`. The readers and writers
 * live in `emgtwitch/io.h` and the `emgtwitch::io` library.
 */
#ifndef EMGTWITCH_EMGTWITCH_H
#define EMGTWITCH_EMGTWITCH_H

#include "emgtwitch/common.h"
#include "emgtwitch/filter.h"
#include "emgtwitch/envelope.h"
#include "emgtwitch/segment.h"
#include "emgtwitch/spectrum.h"
#include "emgtwitch/synth.h"
#include "emgtwitch/eval.h"
#include "emgtwitch/twitch.h"

#endif /* EMGTWITCH_EMGTWITCH_H */
