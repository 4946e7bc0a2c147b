/* Built instead of twitch_adapter.c while the library has no twitch detector. */
#include "acc.h"

const acc_detector *acc_twitch_detector(void)
{
    return NULL;
}
