/* Namespaces and filters (ns.h). */
#include <string.h>

#include "ns.h"

int ns_allowed(uint32_t from, uint32_t to, uint32_t rights, uint32_t port, const char *path) {
  if (from == to) return 1;
  for (uint32_t i = 0; i < tm_bootinfo.n_filters && i < TM_MAX_FILTERS; i++) {
    const struct tm_filter *f = &tm_bootinfo.filters[i];
    if (f->from_vm != from || f->to_vm != to || (f->rights & rights) != rights) continue;
    if (rights & (TM_FILTER_SEND | TM_FILTER_KEY)) { /* a port or an IPC key */
      if (f->port == port) return 1;
    } else {
      const char *fp = f->path[0] == '/' ? f->path + 1 : f->path;
      if (strncmp(fp, path, TM_NAME_LEN - 1) == 0) return 1;
    }
  }
  return 0;
}

long ns_resolve(uint32_t self, char *path, uint32_t *vm, const char **name) {
  *vm = self;
  *name = path;
  char *colon = strchr(path, ':');
  if (colon) {
    *colon = 0;
    uint32_t found = 0;
    for (uint32_t id = 1; id <= HV_MAX_VMS; id++)
      if (hv_vms[id].cfg && strncmp(hv_vms[id].cfg->name, path, TM_NAME_LEN) == 0) found = id;
    *colon = ':';
    if (!found) return -TM_ENOENT;
    *vm = found;
    *name = colon + 1;
  }
  if (**name == '/') (*name)++;
  return **name ? 0 : -TM_EINVAL;
}
