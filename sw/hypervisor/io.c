/*
 * io.c: the hypervisor's I/O servers, called straight from U by vcall
 * (system-call-level I/O): console, files, message ports, time.
 *
 * Every object is keyed by VM (namespaces, ns.h): the file "a.txt" of vm1
 * and of vm2 are two files, port 7 of vm1 and of vm2 are two queues.
 * Reaching another VM's object needs a filter from the boot info; anything
 * else is refused with -TM_EPERM and logged "[hv] denied: ...". Every U buffer is
 * checked against the caller's process bound (gbound) AND its VM's segments
 * before V touches it (no confused deputy): -TM_EFAULT otherwise.
 *
 * Shared tables and their per-VM bounds (docs/software.md, "Quotas"): the
 * file table (a VM owns at most lim.files files and lim.file_bytes bytes; the
 * loader keeps the quotas within the table, so every VM's share is there),
 * the descriptor table (one per VM, lim.fds; a process's descriptors are
 * closed when it ends, all of them when the VM ends), the message pool (one
 * sender holds at most lim.queue_per_sender of a receiver's slots, one port
 * at most lim.queue_per_port; the pool holds every pair's full share), and
 * the console (each VM's lines are buffered and printed whole, escaped,
 * after its name).
 */
#include <string.h>

#include "io.h"
#include "keys.h"
#include "ns.h"
#include "trimode/uart.h"

/* Every pair's full share: only a pair a filter allows (or a VM and itself)
 * ever holds messages, so at most filters + VMs pairs. */
#define HV_MSGS ((TM_MAX_FILTERS + TM_MAX_VMS) * TM_QUEUE_SLOTS_MAX)

struct hv_file {
  int used;
  uint32_t vm;
  char path[TM_NAME_LEN];
  uint32_t size;
  uint8_t data[TM_FILE_MAX];
};
struct hv_fd {
  int used;
  uint32_t pid;
  struct hv_file *f;
  uint32_t pos, flags;
};
struct hv_msg {
  int used;
  uint32_t to_vm, from_vm, port, seq, len;
  uint8_t data[TM_MSG_MAX];
};

static struct hv_file files[TM_FILE_SLOTS];
static struct hv_fd fds[HV_MAX_VMS + 1][TM_FD_SLOTS];
static struct hv_msg msgs[HV_MSGS];
static uint32_t msg_seq;

static int str_eq(const char *a, const char *b) { return strncmp(a, b, TM_NAME_LEN) == 0; }

static struct hv_file *file_find(uint32_t vm, const char *path) {
  for (uint32_t i = 0; i < TM_FILE_SLOTS; i++)
    if (files[i].used && files[i].vm == vm && str_eq(files[i].path, path)) return &files[i];
  return 0;
}

static uint32_t files_of(uint32_t vm, uint32_t *bytes) {
  uint32_t n = 0, b = 0;
  for (uint32_t i = 0; i < TM_FILE_SLOTS; i++) {
    if (!files[i].used || files[i].vm != vm) continue;
    n++;
    b += files[i].size;
  }
  if (bytes) *bytes = b;
  return n;
}

static struct hv_file *file_new(uint32_t vm, const char *path) {
  if (vm < 1 || vm > HV_MAX_VMS || files_of(vm, 0) >= hv_vms[vm].lim.files) return 0;
  for (uint32_t i = 0; i < TM_FILE_SLOTS; i++) {
    if (files[i].used) continue;
    memset(&files[i], 0, sizeof files[i]);
    files[i].used = 1;
    files[i].vm = vm;
    strncpy(files[i].path, path, TM_NAME_LEN - 1);
    return &files[i];
  }
  return 0;
}

/* Why the initial file tf cannot be loaded whole (0: it can). trimode's loader
 * refuses all of these up front; this is the defence against another boot-info
 * writer: a file is dropped and said so, never cut. */
static const char *initial_file_refused(const struct tm_file *tf, const struct tm_image **im) {
  if (tf->image >= tm_bootinfo.n_images) return "no such image";
  *im = &tm_bootinfo.images[tf->image];
  if ((*im)->addr < tm_bootinfo.ram_base || (uint64_t)(*im)->addr + (*im)->size > tm_bootinfo.reserved_end)
    return "image outside the reserved memory";
  if ((*im)->size > TM_FILE_MAX) return "more than the file_bytes limit";
  if (tf->vm < 1 || tf->vm > HV_MAX_VMS || !hv_vms[tf->vm].cfg) return "no such VM";
  uint32_t bytes;
  const uint32_t n = files_of(tf->vm, &bytes);
  if (n >= hv_vms[tf->vm].lim.files || bytes + (*im)->size > hv_vms[tf->vm].lim.file_bytes) return "over its quota";
  return 0;
}

void io_init(void) {
  for (uint32_t i = 0; i < tm_bootinfo.n_files && i < TM_MAX_FILES; i++) {
    const struct tm_file *tf = &tm_bootinfo.files[i];
    char path[TM_NAME_LEN];
    memcpy(path, tf->path, TM_NAME_LEN);
    path[TM_NAME_LEN - 1] = 0;
    const struct tm_image *im = 0;
    const char *why = initial_file_refused(tf, &im);
    struct hv_file *f = why ? 0 : file_new(tf->vm, path[0] == '/' ? path + 1 : path);
    if (!f) {
      hv_printf("[hv] initial file %s of VM %lu (%lu bytes): %s, dropped\n", hv_escaped(path, TM_NAME_LEN),
                (unsigned long)tf->vm, im ? (unsigned long)im->size : 0ul, why ? why : "no free file slot");
      continue;
    }
    f->size = im->size;
    hv_copy(f->data, (const void *)(uintptr_t)im->addr, f->size);
  }
}

/* ---- checking U buffers ------------------------------------------------- */

/* [a, a + len) in the caller's U space -> physical, or 0 when any byte is
 * outside the process bound or outside the VM's segments. An empty range
 * may be at physical 0: copies to and from it go through hv_copy. */
static int u_range(const struct vm *v, uint32_t a, uint32_t len, uint32_t *phys) {
  const uint32_t base = TM_CSR_READ(TM_CSR_GBASE), bound = TM_CSR_READ(TM_CSR_GBOUND);
  if ((uint64_t)a + len > bound) return 0;
  if ((uint64_t)base + a + len > 0xffffffffu) return 0;
  *phys = base + a;
  return len == 0 || vm_phys_ok(v, *phys, len);
}

/* Copies a NUL-terminated U string of at most TM_NAME_LEN - 1 characters. */
static long u_string(const struct vm *v, uint32_t a, char *out) {
  for (uint32_t i = 0; i < TM_NAME_LEN; i++) {
    uint32_t p;
    if (!u_range(v, a + i, 1, &p)) return -TM_EFAULT;
    out[i] = *(const char *)(uintptr_t)p;
    if (!out[i]) return 0;
  }
  return -TM_EINVAL;
}

/* ---- console ------------------------------------------------------------ */

/* One whole line: "[name] " or "[name kernel] ", the escaped bytes, and a
 * trailing backslash when the hypervisor cut the line (bound, end of VM). */
static void emit_line(struct vm *v, int kernel, int cut) {
  char e[4];
  uart_putc('[');
  hv_puts_raw(v->cfg->name);
  if (kernel) hv_puts_raw(" kernel");
  hv_puts_raw("] ");
  for (uint32_t i = 0; i < v->line_len[kernel]; i++) {
    const uint32_t n = hv_escape_char(v->line[kernel][i], e);
    for (uint32_t k = 0; k < n; k++) uart_putc(e[k]);
  }
  if (cut) uart_putc('\\');
  uart_putc('\n');
  v->line_len[kernel] = 0;
}

long io_console(struct vm *v, const char *p, uint32_t len, int kernel) {
  kernel = kernel ? 1 : 0;
  /* one partial line per VM and source: another process's write cuts it */
  const uint32_t pid = kernel ? 0 : TM_CSR_READ(TM_CSR_GPID);
  if (v->line_len[kernel] && v->line_pid[kernel] != pid) emit_line(v, kernel, 1);
  v->line_pid[kernel] = pid;
  for (uint32_t i = 0; i < len; i++) {
    if (p[i] == '\n') {
      emit_line(v, kernel, 0);
      continue;
    }
    if (v->line_len[kernel] == HV_LINE_MAX) emit_line(v, kernel, 1);
    v->line[kernel][v->line_len[kernel]++] = p[i];
  }
  return (long)len;
}

static void console_flush(struct vm *v) {
  for (int k = 0; k < 2; k++)
    if (v->line_len[k]) emit_line(v, k, 1);
}

/* ---- files -------------------------------------------------------------- */

static long sys_open(struct vm *v, uint32_t upath, uint32_t flags) {
  char path[TM_NAME_LEN];
  long rc = u_string(v, upath, path);
  if (rc) return rc;
  if (flags == 0 || (flags & ~7u) || !(flags & 3u)) return -TM_EINVAL;
  uint32_t owner;
  const char *name;
  rc = ns_resolve(v->id, path, &owner, &name);
  if (rc) return rc;
  const uint32_t rights = ((flags & 1u) ? TM_FILTER_READ : 0) | ((flags & 2u) ? TM_FILTER_WRITE : 0);
  if (owner != v->id && ((flags & 4u) || !ns_allowed(v->id, owner, rights, 0, name))) {
    vm_denied(v, "open %s:/%s%s", vm_name(owner), hv_escaped(name, TM_NAME_LEN), (flags & 6u) ? " for writing" : "");
    return -TM_EPERM;
  }
  struct hv_file *f = file_find(owner, name);
  if (!f) {
    if (!(flags & 4u)) return -TM_ENOENT;
    f = file_new(owner, name);
    if (!f) {
      vm_denied(v, "create %s:/%s: quota of %lu files reached", vm_name(owner), hv_escaped(name, TM_NAME_LEN),
                (unsigned long)hv_vms[owner].lim.files);
      return -TM_EDQUOT;
    }
  }
  const uint32_t pid = TM_CSR_READ(TM_CSR_GPID);
  uint32_t open_fds = 0;
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) open_fds += fds[v->id][i].used ? 1 : 0;
  if (open_fds >= v->lim.fds) return -TM_EDQUOT;
  if ((flags & 6u) == 6u) f->size = 0; /* create + write on an existing file truncates it */
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) {
    struct hv_fd *d = &fds[v->id][i];
    if (d->used) continue;
    *d = (struct hv_fd){1, pid, f, 0, flags};
    return (long)(3 + i);
  }
  return -TM_ENOMEM;
}

static struct hv_fd *fd_get(struct vm *v, uint32_t fd) {
  if (fd < 3 || fd >= 3 + TM_FD_SLOTS) return 0;
  struct hv_fd *d = &fds[v->id][fd - 3];
  return d->used && d->pid == TM_CSR_READ(TM_CSR_GPID) ? d : 0;
}

static long sys_write(struct vm *v, uint32_t fd, uint32_t buf, uint32_t len) {
  uint32_t p;
  if (!u_range(v, buf, len, &p)) return -TM_EFAULT;
  if (fd == 1 || fd == 2) /* V cannot be preempted: a bounded amount per call (a short write) */
    return io_console(v, (const char *)(uintptr_t)p, len < HV_CONSOLE_CHUNK ? len : HV_CONSOLE_CHUNK, 0);
  struct hv_fd *d = fd_get(v, fd);
  if (!d || !(d->flags & 2u)) return -TM_EBADF;
  if (d->pos >= TM_FILE_MAX && len) return -TM_ENOMEM;
  uint32_t n = len < TM_FILE_MAX - d->pos ? len : TM_FILE_MAX - d->pos;
  /* the owner's byte quota: what the file grows by must fit */
  uint32_t used;
  files_of(d->f->vm, &used);
  const uint32_t quota = hv_vms[d->f->vm].lim.file_bytes;
  const uint32_t grow = d->pos + n > d->f->size ? d->pos + n - d->f->size : 0;
  if (grow && used + grow > quota) {
    const uint32_t room = quota > used ? quota - used : 0;
    n -= grow - room; /* a short write up to the quota */
    if (n == 0 && len) return -TM_EDQUOT;
  }
  hv_copy(d->f->data + d->pos, (const void *)(uintptr_t)p, n);
  d->pos += n;
  if (d->pos > d->f->size) d->f->size = d->pos;
  return (long)n;
}

static long sys_read(struct vm *v, uint32_t fd, uint32_t buf, uint32_t len) {
  uint32_t p;
  if (!u_range(v, buf, len, &p)) return -TM_EFAULT;
  if (fd == 0) return 0;
  struct hv_fd *d = fd_get(v, fd);
  if (!d || !(d->flags & 1u)) return -TM_EBADF;
  const uint32_t left = d->f->size > d->pos ? d->f->size - d->pos : 0;
  const uint32_t n = len < left ? len : left;
  hv_copy((void *)(uintptr_t)p, d->f->data + d->pos, n);
  d->pos += n;
  return (long)n;
}

static long sys_close(struct vm *v, uint32_t fd) {
  struct hv_fd *d = fd_get(v, fd);
  if (!d) return -TM_EBADF;
  d->used = 0;
  return 0;
}

/* ---- message ports ------------------------------------------------------ */

static long sys_send(struct vm *v, uint32_t to, uint32_t port, uint32_t buf, uint32_t len) {
  uint32_t p;
  if (!u_range(v, buf, len, &p)) return -TM_EFAULT;
  if (len > TM_MSG_MAX || port > TM_LIMIT_PORT) return -TM_EINVAL; /* (no filter names such a port) */
  if (to < 1 || to > HV_MAX_VMS || !hv_vms[to].cfg) return -TM_ENOENT;
  if (!ns_allowed(v->id, to, TM_FILTER_SEND, port, 0)) {
    vm_denied(v, "send %s:%lu", vm_name(to), (unsigned long)port);
    return -TM_EPERM;
  }
  if (hv_vms[to].status == VM_DONE || hv_vms[to].status == VM_EMPTY || hv_vms[to].status == VM_SAVED) return -TM_ENOENT;
  uint32_t from_me = 0, on_port = 0;
  struct hv_msg *slot = 0;
  for (uint32_t i = 0; i < HV_MSGS; i++) {
    const struct hv_msg *m = &msgs[i];
    if (!m->used) {
      if (!slot) slot = &msgs[i];
      continue;
    }
    if (m->to_vm != to) continue;
    from_me += m->from_vm == v->id;
    on_port += m->port == port;
  }
  /* this sender's share of the receiver's queue, and the port's */
  if (from_me >= hv_vms[to].lim.queue_per_sender || on_port >= hv_vms[to].lim.queue_per_port || !slot)
    return -TM_EAGAIN;
  slot->used = 1;
  slot->to_vm = to;
  slot->from_vm = v->id;
  slot->port = port;
  slot->seq = msg_seq++;
  slot->len = len;
  hv_copy(slot->data, (const void *)(uintptr_t)p, len);
  return (long)len;
}

/* recv, and for recvfrom (from_at != 0) the sender's VM id, as the send
 * stamped it, to the u32 at U address `from`. */
static long sys_recv(struct vm *v, uint32_t port, uint32_t buf, uint32_t len, int from_at, uint32_t from) {
  uint32_t p, f = 0;
  if (!u_range(v, buf, len, &p) || (from_at && !u_range(v, from, 4, &f))) return -TM_EFAULT;
  if (port > TM_LIMIT_PORT) return -TM_EINVAL;
  struct hv_msg *m = 0;
  for (uint32_t i = 0; i < HV_MSGS; i++)
    if (msgs[i].used && msgs[i].to_vm == v->id && msgs[i].port == port && (!m || msgs[i].seq < m->seq)) m = &msgs[i];
  if (!m) return -TM_EAGAIN;
  if (len < m->len) return -TM_EINVAL; /* never cut: it stays queued */
  const uint32_t n = m->len;
  hv_copy((void *)(uintptr_t)p, m->data, n);
  if (from_at) hv_copy((void *)(uintptr_t)f, &m->from_vm, 4);
  m->used = 0;
  return (long)n;
}

long io_proc_ended(struct vm *v, uint32_t pid) {
  long closed = 0;
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) {
    struct hv_fd *d = &fds[v->id][i];
    if (!d->used || d->pid != pid) continue;
    d->used = 0;
    closed++;
  }
  return closed;
}

/* The VM's partial console lines are printed, its queue and descriptors
 * released. Its files stay (other VMs may read them through a filter): its
 * file quota is its own share of the table, not anyone else's. */
void io_vm_ended(struct vm *v) {
  console_flush(v);
  for (uint32_t i = 0; i < HV_MSGS; i++)
    if (msgs[i].to_vm == v->id) msgs[i].used = 0;
  memset(fds[v->id], 0, sizeof fds[v->id]);
  keys_vm_ended(v);
}

/* IPC keys (keys.h): the U buffer checked here, the rest in keys.c. */
static long sys_key(struct vm *v, uint32_t nr, uint32_t vm, uint32_t key, uint32_t buf, uint32_t len) {
  if (nr == TM_SYS_KEYGET) return keys_get(v, vm, key, buf);
  uint32_t p;
  if (!u_range(v, buf, len, &p)) return -TM_EFAULT;
  return nr == TM_SYS_KEYSEND ? keys_send(v, vm, key, (const void *)(uintptr_t)p, len)
                              : keys_recv(v, vm, key, (void *)(uintptr_t)p, len);
}

/* ---- a VM's image (ckpt.c) ---------------------------------------------- */

/* Its descriptors (slot, pid, the file by owner and path, position, flags)
 * and the messages queued for it (oldest first, with their sequence numbers),
 * which leave the tables: the VM is being suspended. Messages sent to it
 * while it is suspended queue as usual (its quotas apply to those); the
 * restored ones keep their older sequence numbers and so come first. */
void io_save(struct vm *v, struct hv_stream *s) {
  uint32_t n = files_of(v->id, 0);
  hv_stream_put32(s, n);
  for (uint32_t i = 0; i < TM_FILE_SLOTS; i++) { /* its own files, for a resume in another run */
    if (!files[i].used || files[i].vm != v->id) continue;
    hv_stream_put(s, files[i].path, TM_NAME_LEN);
    hv_stream_put32(s, files[i].size);
    hv_stream_put(s, files[i].data, files[i].size);
  }
  keys_save(v, s);
  n = 0;
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) n += fds[v->id][i].used ? 1 : 0;
  hv_stream_put32(s, n);
  for (uint32_t i = 0; i < TM_FD_SLOTS; i++) {
    struct hv_fd *d = &fds[v->id][i];
    if (!d->used) continue;
    hv_stream_put32(s, i);
    hv_stream_put32(s, d->pid);
    hv_stream_put32(s, d->f->vm);
    hv_stream_put(s, d->f->path, TM_NAME_LEN);
    hv_stream_put32(s, d->pos);
    hv_stream_put32(s, d->flags);
    d->used = 0;
  }
  n = 0;
  for (uint32_t i = 0; i < HV_MSGS; i++) n += msgs[i].used && msgs[i].to_vm == v->id;
  hv_stream_put32(s, n);
  for (uint32_t k = 0; k < n; k++) {
    struct hv_msg *m = 0;
    for (uint32_t i = 0; i < HV_MSGS; i++)
      if (msgs[i].used && msgs[i].to_vm == v->id && (!m || msgs[i].seq < m->seq)) m = &msgs[i];
    hv_stream_put32(s, m->seq);
    hv_stream_put32(s, m->from_vm);
    hv_stream_put32(s, m->port);
    hv_stream_put32(s, m->len);
    hv_stream_put(s, m->data, m->len);
    m->used = 0;
  }
}

/* Back into the tables; 0 or why not (the tables are left as they were). */
/* The VM's own files from its image: in the same run they are still in the
 * file table (kept while it was suspended) and stay as they are; in another
 * run (`replace`) the image's contents win over a scenario's initial file. */
static const char *restore_files(struct vm *v, struct hv_stream *s, int replace) {
  const uint32_t n = hv_stream_get32(s);
  if (s->overflow || n > TM_FILE_SLOTS) return "bad file count";
  for (uint32_t k = 0; k < n; k++) {
    char path[TM_NAME_LEN];
    hv_stream_get(s, path, TM_NAME_LEN);
    path[TM_NAME_LEN - 1] = 0;
    const uint32_t size = hv_stream_get32(s);
    if (s->overflow || size > TM_FILE_MAX) return "bad file";
    struct hv_file *f = file_find(v->id, path);
    if (f && !replace) {
      hv_stream_get(s, 0, size);
      continue;
    }
    if (!f && !(f = file_new(v->id, path))) return "its files exceed its quota";
    hv_stream_get(s, f->data, size);
    f->size = size;
  }
  return s->overflow ? "truncated" : 0;
}

const char *io_restore(struct vm *v, struct hv_stream *s, int replace_files) {
  const char *why = restore_files(v, s, replace_files);
  if (!why) why = keys_restore(v, s, replace_files); /* (the image order is files, keys, descriptors, messages) */
  if (why) return why;
  struct hv_fd restored[TM_FD_SLOTS];
  memset(restored, 0, sizeof restored);
  const uint32_t nfd = hv_stream_get32(s);
  if (nfd > TM_FD_SLOTS) return "bad descriptor count";
  for (uint32_t k = 0; k < nfd; k++) {
    const uint32_t slot = hv_stream_get32(s), pid = hv_stream_get32(s), owner = hv_stream_get32(s);
    char path[TM_NAME_LEN];
    hv_stream_get(s, path, TM_NAME_LEN);
    path[TM_NAME_LEN - 1] = 0;
    const uint32_t pos = hv_stream_get32(s), flags = hv_stream_get32(s);
    if (s->overflow || slot >= TM_FD_SLOTS || restored[slot].used || pos > TM_FILE_MAX) return "bad descriptor";
    struct hv_file *f = file_find(owner, path);
    if (!f) return "an open file no longer exists";
    restored[slot] = (struct hv_fd){1, pid, f, pos, flags};
  }
  const uint32_t nmsg = hv_stream_get32(s);
  uint32_t free_slots = 0;
  for (uint32_t i = 0; i < HV_MSGS; i++) free_slots += !msgs[i].used;
  if (s->overflow || nmsg > free_slots) return "bad message count";
  uint32_t restored_msgs = 0;
  for (uint32_t k = 0; k < nmsg; k++) {
    struct hv_msg *m = 0;
    for (uint32_t i = 0; i < HV_MSGS && !m; i++)
      if (!msgs[i].used) m = &msgs[i];
    m->seq = hv_stream_get32(s); /* older than anything sent since: they stay first */
    if (m->seq >= msg_seq) msg_seq = m->seq + 1; /* (an image from another run: nothing is queued yet) */
    m->from_vm = hv_stream_get32(s);
    m->port = hv_stream_get32(s);
    m->len = hv_stream_get32(s);
    if (s->overflow || m->len > TM_MSG_MAX) break;
    hv_stream_get(s, m->data, m->len);
    if (s->overflow) break;
    m->to_vm = v->id;
    m->used = 2; /* restored just now: undone below if anything is wrong */
    restored_msgs++;
  }
  const int bad = s->overflow || restored_msgs != nmsg;
  for (uint32_t i = 0; i < HV_MSGS; i++)
    if (msgs[i].used == 2) msgs[i].used = bad ? 0 : 1;
  if (bad) return "bad message";
  memcpy(fds[v->id], restored, sizeof restored);
  return 0;
}

long io_call(struct vm *v, uint32_t *frame) {
  const uint32_t a0 = frame[10], a1 = frame[11], a2 = frame[12], a3 = frame[13];
  switch (frame[17]) {
    case TM_SYS_WRITE: return sys_write(v, a0, a1, a2);
    case TM_SYS_OPEN: return sys_open(v, a0, a1);
    case TM_SYS_READ: return sys_read(v, a0, a1, a2);
    case TM_SYS_CLOSE: return sys_close(v, a0);
    case TM_SYS_SEND: return sys_send(v, a0, a1, a2, a3);
    case TM_SYS_RECV: return sys_recv(v, a0, a1, a2, 0, 0);
    case TM_SYS_RECVFROM: return sys_recv(v, a0, a1, a2, 1, a3);
    case TM_SYS_TIME: return (long)(uint32_t)hv_now();
    case TM_SYS_KEYGET: case TM_SYS_KEYSEND: case TM_SYS_KEYRECV: return sys_key(v, frame[17], a0, a1, a2, a3);
    case TM_SYS_VM_INFO: case TM_SYS_VM_GROW: case TM_SYS_VM_SHRINK:
    case TM_SYS_VM_SHUTDOWN: case TM_SYS_VTIMER: case TM_SYS_CONSOLE: case TM_SYS_PROC_ENDED:
    case TM_SYS_VM_CHECKPOINT:
      vm_denied(v, "pid %lu hypercall %lu from U", (unsigned long)TM_CSR_READ(TM_CSR_GPID), (unsigned long)frame[17]);
      return -TM_EPERM;
    default: return -TM_ENOSYS;
  }
}
