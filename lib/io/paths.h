/* File-name helpers shared by readers and writers. */
#ifndef ETW_IO_PATHS_H
#define ETW_IO_PATHS_H

/* 1 when path ends with ext (".edf"), compared case-insensitively, and has a name before it. */
int etw_path_has_ext(const char *path, const char *ext);

#endif
