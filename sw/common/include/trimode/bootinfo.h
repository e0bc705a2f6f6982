/*
 * bootinfo.h: what `trimode run --scenario FILE` hands the hypervisor.
 *
 * Contract: trimode loads the hypervisor ELF, then copies every image the
 * scenario names (guest kernels, user programs, initial files) into RAM right
 * after the hypervisor image (4 KiB aligned), fills a struct tm_bootinfo at the
 * address of the hypervisor's symbol `tm_bootinfo`, and starts the hypervisor
 * at its entry in V. Everything below `reserved_end` belongs to the
 * hypervisor (its image, the images, this block): the allocator must reserve it.
 * Plain C, fixed-size, 32-bit fields only: the same header is compiled by the
 * simulator (C++) and the hypervisor (C), little-endian on both.
 *
 * Example: a scenario with two VMs, each running its kernel and two programs,
 * gives n_vms = 2, vms[i].kernel = index of "kernel" in images[], vms[i].programs
 * = indices of the programs, and filters for the shared file and the port.
 */
#ifndef TRIMODE_BOOTINFO_H
#define TRIMODE_BOOTINFO_H

#include <stdint.h>

#include "trimode/limits.h" /* generated from spec/limits.txt */

#define TM_BOOTINFO_MAGIC 0x49424D54u /* "TMBI" */
#define TM_BOOTINFO_VERSION 2u        /* 2: sizes from spec/limits.txt, n_segments */
#define TM_MAX_VMS TM_LIMIT_VMS
#define TM_MAX_PROGRAMS TM_LIMIT_PROGRAMS
#define TM_MAX_IMAGES TM_LIMIT_IMAGES
#define TM_MAX_FILTERS TM_LIMIT_FILTERS
#define TM_MAX_FILES TM_LIMIT_INITIAL_FILES
#define TM_NAME_LEN (TM_LIMIT_NAME_LEN + 1u) /* with the terminating NUL */

/* An image placed in RAM by trimode: an ELF (kernel, program) or raw bytes (file). */
struct tm_image {
  uint32_t addr;  /* physical address of the first byte */
  uint32_t size;  /* bytes */
  char name[TM_NAME_LEN];
};

struct tm_vm {
  uint32_t id;          /* 1 .. TM_MAX_VMS: the vmid register value and the namespace key */
  uint32_t mem_bytes;   /* memory the hypervisor allocates for the VM at creation */
  uint32_t weight;      /* fair-share CPU weight, >= 1 */
  uint32_t kernel;      /* index into images[] of the guest kernel ELF */
  uint32_t n_programs;
  uint32_t programs[TM_MAX_PROGRAMS];  /* indices into images[]; program i of the VM is spawnable as i */
  uint32_t n_start;     /* how many of programs[] the kernel starts at boot (the first n_start) */
  char name[TM_NAME_LEN];
};

/* Filter kinds: what VM `from_vm` may do to an object of VM `to_vm`. */
#define TM_FILTER_SEND 1u  /* send to port `port` of to_vm */
#define TM_FILTER_READ 2u  /* open file `path` of to_vm for reading */
#define TM_FILTER_WRITE 4u /* open file `path` of to_vm for writing */
#define TM_FILTER_KEY 8u   /* use IPC key `port` of to_vm (look up, send, receive; not create) */

struct tm_filter {
  uint32_t from_vm;
  uint32_t to_vm;
  uint32_t rights;  /* TM_FILTER_* bits */
  uint32_t port;    /* for TM_FILTER_SEND: the port; for TM_FILTER_KEY: the key */
  char path[TM_NAME_LEN];  /* for TM_FILTER_READ / _WRITE */
};

/* A file of a VM's namespace with initial contents (an image). */
struct tm_file {
  uint32_t vm;
  uint32_t image;  /* index into images[] */
  char path[TM_NAME_LEN];
};

/* Filled in by the hypervisor for trimode to read after the run. */
#define TM_MAX_MAP (TM_LIMIT_VMS * TM_LIMIT_SEGMENTS + 8u) /* the global queue's capacity: never cut */
struct tm_map {
  uint32_t n;  /* tuples of the global memory queue, ordered by base */
  struct { uint32_t base, size, owner; } seg[TM_MAX_MAP];  /* owner 0: the hypervisor, id: VM id, TM_IMAGE_OWNER(id): VM id's image */
};
#define TM_IMAGE_OWNER(id) (TM_MAX_VMS + (id)) /* the allocator owner of VM id's image in V's image store */
#define TM_VM_RUNNING 0u
#define TM_VM_EXITED 1u   /* vm_shutdown(code) */
#define TM_VM_STOPPED 2u  /* stopped by the hypervisor after a fault; code = the cause */
#define TM_VM_CODE_NOT_CREATED 0xffffffffu /* with TM_VM_STOPPED: the VM was never created */
#define TM_VM_SAVED 3u    /* checkpointed for another run: its image is in saved[] */
struct tm_report {
  uint32_t map_steps;                  /* snapshots written to map[] */
  struct tm_map map[2];                /* [0] after the VMs were created; [1] after the last
                                          vm_grow, or at the end when no VM grew */
  uint32_t vm_state[TM_MAX_VMS + 1];   /* indexed by VM id */
  uint32_t vm_code[TM_MAX_VMS + 1];
  uint32_t vm_cpu_ticks[TM_MAX_VMS + 1];  /* mtime ticks each VM ran (fair-share accounting) */
};

/* The VM with this id was never created (the hypervisor logged why). */
static inline int tm_vm_not_created(const struct tm_report *r, uint32_t id) {
  return r->vm_state[id] == TM_VM_STOPPED && r->vm_code[id] == TM_VM_CODE_NOT_CREATED;
}

/* Per-VM limits on the hypervisor's shared tables and on the VM's time
 * (docs/software.md, "Quotas"). trimode writes the effective value of every
 * field; a 0 (a writer that predates these fields, e.g. scenarios/mkbundle.py)
 * means the default below. */
#define TM_FILE_SLOTS TM_LIMIT_FILES   /* the hypervisor's file table, all VMs together */
#define TM_FD_SLOTS TM_LIMIT_FDS       /* descriptor table per VM */
#define TM_QUEUE_SLOTS_MAX TM_LIMIT_QUEUE_PER_SENDER /* most messages one sender may have queued at one VM */
/* The defaults: the vm.* rows of spec/limits.txt */
#define TM_DEFAULT_FILES TM_LIMIT_VM_FILES /* 64 VMs x 4 = TM_FILE_SLOTS: every VM's files are guaranteed */
#define TM_DEFAULT_FILE_BYTES TM_LIMIT_VM_FILE_BYTES
#define TM_DEFAULT_FDS TM_LIMIT_VM_FDS
#define TM_DEFAULT_QUEUE_PER_SENDER TM_LIMIT_VM_QUEUE_PER_SENDER
#define TM_DEFAULT_QUEUE_PER_PORT TM_LIMIT_VM_QUEUE_PER_PORT
#define TM_DEFAULT_CPU_MS TM_LIMIT_VM_CPU_MS
#define TM_DEFAULT_WALL_MS TM_LIMIT_VM_WALL_MS
struct tm_limits {
  uint32_t files;             /* files the VM may own at once (its share of TM_FILE_SLOTS) */
  uint32_t file_bytes;        /* bytes over all its files */
  uint32_t fds;               /* open descriptors, all its processes together (<= TM_FD_SLOTS) */
  uint32_t queue_per_sender;  /* messages one sender VM may have queued at this VM (<= TM_QUEUE_SLOTS_MAX) */
  uint32_t queue_per_port;    /* messages one port of this VM may hold, all senders together */
  uint32_t cpu_ms;            /* the VM is stopped after this much CPU time */
  uint32_t wall_ms;           /* ... or this much simulated time after boot */
};

/* tm_bootinfo.flags */
#define TM_BOOT_TEST_HOOKS 1u  /* the guest kernel's fault-injection call (TM_KSYS_EVIL_G) is open */

/* A checkpoint of the scenario (docs/software.md, "VM checkpoint and
 * resume"): VM `vm` is saved whole into its image at mtime `at_ticks` and
 * resumed from it at `resume_ticks` (> at_ticks; mtime runs at 10 MHz from 0). */
#define TM_MAX_CHECKPOINTS TM_LIMIT_CHECKPOINTS
#define TM_CK_MOVE 1u /* resume it somewhere else than where it was (scenario "move") */
#define TM_CK_SAVE 2u /* not resumed in this run: its image leaves the run as a host file (scenario "save"; resume_ticks 0) */
struct tm_checkpoint {
  uint32_t vm;
  uint32_t at_ticks;
  uint32_t resume_ticks;
  uint32_t flags; /* TM_CK_* */
};

/* A VM image the hypervisor leaves in RAM at the end of the run for trimode
 * to write to the host file the checkpoint names (TM_CK_SAVE): its bytes are
 * chunk[0], chunk[1], ... in order, `length` in all (ckpt.h's image format,
 * trimode/vmimage.h). vm 0: none. */
struct tm_saved {
  uint32_t vm;
  uint32_t length;
  uint32_t n_chunks;
  struct { uint32_t base, size; } chunk[TM_LIMIT_SEGMENTS];
};

struct tm_bootinfo {
  uint32_t magic;        /* TM_BOOTINFO_MAGIC */
  uint32_t version;      /* TM_BOOTINFO_VERSION */
  uint32_t ram_base;
  uint32_t ram_size;
  uint32_t reserved_end; /* first byte after the hypervisor image and the images */
  uint32_t timeslice_ticks; /* scheduler quantum in mtime ticks */
  uint32_t n_vms;
  struct tm_vm vms[TM_MAX_VMS];
  uint32_t n_images;
  struct tm_image images[TM_MAX_IMAGES];
  uint32_t n_filters;
  struct tm_filter filters[TM_MAX_FILTERS];
  uint32_t n_files;
  struct tm_file files[TM_MAX_FILES];
  struct tm_report report;  /* written by the hypervisor */
  /* appended after the report: earlier writers leave these zero */
  struct tm_limits limits[TM_MAX_VMS + 1];  /* indexed by VM id */
  uint32_t flags;                           /* TM_BOOT_* */
  uint32_t n_segments;                      /* segment-table entries per VM (trimode --segments), <= TM_LIMIT_SEGMENTS */
  uint32_t n_checkpoints;
  struct tm_checkpoint checkpoints[TM_MAX_CHECKPOINTS];
  /* by VM id: 1 + the index in images[] of a saved VM image (docs/software.md,
   * "VM checkpoint and resume") the VM starts from instead of booting; 0: it boots */
  uint32_t vm_image[TM_MAX_VMS + 1];
  struct tm_saved saved[TM_MAX_CHECKPOINTS]; /* written by the hypervisor: by checkpoint index */
};

#endif /* TRIMODE_BOOTINFO_H */
