/*
 * sw/hypervisor/io.c compiled as part of this file, so the harness can empty
 * io.c's tables between fuzz inputs (on the machine, crt0 zeroes them at boot).
 * When io.c's tables change, this is the one place to follow.
 */
#include "../../sw/hypervisor/io.c"

void hv_host_io_reset(void);
void hv_host_io_reset(void) {
  memset(files, 0, sizeof files);
  memset(fds, 0, sizeof fds);
  memset(msgs, 0, sizeof msgs);
  msg_seq = 0;
  keys_reset();
}
