/* The boot info: filled by trimode before the hypervisor starts, so it must
 * not be in .bss (which crt0 zeroes). ".data.tm_bootinfo" is an input section
 * of .data in trimode.ld; the link map (hypervisor.map) shows it there. */
#include "hvlib.h"

struct tm_bootinfo tm_bootinfo __attribute__((section(".data.tm_bootinfo"), aligned(8))) = {.magic = 0};
