#include "edflib_lock.h"

#include <pthread.h>

/* The only process-wide object of emgtwitch_io, forced by EDFlib's own global file table. */
static pthread_mutex_t edflib_mutex = PTHREAD_MUTEX_INITIALIZER;

void etw_edflib_lock(void)
{
    pthread_mutex_lock(&edflib_mutex);
}

void etw_edflib_unlock(void)
{
    pthread_mutex_unlock(&edflib_mutex);
}
