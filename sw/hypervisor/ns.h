/*
 * ns.h: namespaces and filters. Every object (file, message port) is keyed
 * by its VM: "a.txt" of vm1 and of vm2 are two files. A path names the
 * caller's own object ("name", "/name") or another VM's ("vm2:/name",
 * "vm2:name"); reaching another VM's object needs a filter of the boot info
 * (from, to, rights, port or path). Pure functions of the boot info and the
 * VM table: no hardware. The VM layer.
 */
#ifndef HV_NS_H
#define HV_NS_H

#include <stdint.h>

#include "vm.h"

/* 1 when VM `from` may use `rights` (TM_FILTER_*) on VM `to`'s port `port`
 * (rights include TM_FILTER_SEND), IPC key `port` (TM_FILTER_KEY) or file
 * `path` (otherwise); a VM may always use its own. A filter's path may start with '/'. */
int ns_allowed(uint32_t from, uint32_t to, uint32_t rights, uint32_t port, const char *path);

/* Splits `path` as seen by VM `self` into its owner *vm and the name in the
 * owner's namespace (*name points into path, leading '/' dropped). 0, or
 * -TM_ENOENT for an unknown VM name, -TM_EINVAL for an empty name. */
long ns_resolve(uint32_t self, char *path, uint32_t *vm, const char **name);

#endif /* HV_NS_H */
