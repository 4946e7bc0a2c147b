/* EDFlib keeps a process-wide table of open files and its open/close functions are not
 * thread-safe (see edflib.h). Every call into EDFlib's open/close goes through this lock. */
#ifndef ETW_IO_EDFLIB_LOCK_H
#define ETW_IO_EDFLIB_LOCK_H

void etw_edflib_lock(void);
void etw_edflib_unlock(void);

#endif
