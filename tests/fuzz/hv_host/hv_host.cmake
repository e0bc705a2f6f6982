# Where the hypervisor's host builds (tests/hypervisor, tests/fuzz's fuzz_hv) put
# its "RAM": the 32-bit addresses its code computes are host addresses there.
# 0x60000000 is above where Linux may start the brk heap of a non-PIE program
# (x86-64 randomises it over 1 GiB past the executable: 0x40000000 collided in
# about 2 % of runs) and below x86-64 ASan's shadow (0x7fff8000).
set(TRIMODE_HOST_RAM_BASE 0x60000000)
# The compile definition the shim's trimode/spec.h reads, and the linker's
# __image_end at the start of the fake RAM (main.c compares reserved_end with
# it; an absolute symbol, so the host builds link non-PIE).
set(TRIMODE_HOST_RAM_DEFS TM_HOST_RAM_BASE=${TRIMODE_HOST_RAM_BASE}u)
set(TRIMODE_HOST_RAM_LINK -no-pie -Wl,--defsym=__image_end=${TRIMODE_HOST_RAM_BASE})
