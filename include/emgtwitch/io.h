/**
 * @file io.h
 * @brief Umbrella header of the emgtwitch_io library (link `emgtwitch::io`): recording
 *        readers (recording.h) and result/signal writers (writer.h). Not part of the core
 *        umbrella emgtwitch.h, so DSP-only hosts need neither libsndfile nor EDFlib.
 */
#ifndef EMGTWITCH_IO_H
#define EMGTWITCH_IO_H

#include "emgtwitch/recording.h"
#include "emgtwitch/writer.h"

#endif /* EMGTWITCH_IO_H */
