/*
 * Allocation that aborts on out-of-memory, so callers carry no OOM
 * branches (daemon and CLI code; the ipmi/ library reports errors).
 */
#ifndef XMEM_H
#define XMEM_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
/* wipe then free; NULL is a no-op */
void	 freezero(void *, size_t);

#endif
