/*
 * io.h: the hypervisor's I/O servers (console, files, message ports, time),
 * called from U by vcall. The I/O layer: uses the VM layer and the library.
 */
#ifndef HV_IO_H
#define HV_IO_H

#include <stdint.h>

#include "stream.h"
#include "vm.h"

void io_init(void);                            /* the initial files, within their VMs' quotas */
long io_call(struct vm *v, uint32_t *frame);   /* a vcall from U */
long io_console(struct vm *v, const char *p, uint32_t len, int kernel);
long io_proc_ended(struct vm *v, uint32_t pid); /* closes the process's descriptors */
void io_vm_ended(struct vm *v);                 /* flushes its console lines, drops its queue and descriptors */
/* A VM's image (ckpt.c): its own files (copied: they stay in the table),
 * its descriptors and queued messages (these leave the tables) go into the
 * stream; io_restore puts them back (0, or why not; descriptors and messages
 * unchanged then), `replace_files`: the image's files replace existing ones
 * (an image from another run). Messages to a suspended VM queue as usual. */
void io_save(struct vm *v, struct hv_stream *s);
const char *io_restore(struct vm *v, struct hv_stream *s, int replace_files);

#endif /* HV_IO_H */
