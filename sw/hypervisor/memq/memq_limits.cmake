# The allocator's table sizes wherever the hypervisor's code is built (its image,
# and the host builds in tests/hypervisor and tests/fuzz): owners are V (0), the
# VMs (1..N) and each VM's checkpoint image (N+1..2N, ckpt.h's CKPT_STORE_OWNER);
# N and the segments per owner come from spec/limits.txt.
include(${TRIMODE_GEN_DIR}/spec.cmake)
math(EXPR TRIMODE_MEMQ_OWNERS "2 * ${TM_LIMIT_VMS}")
set(TRIMODE_HV_MEMQ_DEFS MEMQ_MAX_VMS=${TRIMODE_MEMQ_OWNERS} MEMQ_MAX_SEGS_PER_VM=${TM_LIMIT_SEGMENTS})
