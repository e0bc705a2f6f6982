# Cross toolchain for Trimode's bare-metal software (sw/): Debian's
# riscv64-unknown-elf-gcc 12 emitting RV32IM/ilp32, linked against picolibc.
#
# -misa-spec=2.2 matters: with the default (20191213) spec, GCC 12 needs
# -march=rv32im_zicsr for csrr/csrw, and Debian's multilib table has no
# rv32im_zicsr entry, so the driver silently falls back to the default (rv64)
# multilib and the link fails or mixes ABIs. ISA spec 2.2 folds Zicsr and
# Zifencei into "I", so -march=rv32im both assembles CSR and fence.i
# instructions and selects picolibc's rv32im/ilp32 multilib.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(TRIMODE_RISCV_PREFIX riscv64-unknown-elf- CACHE STRING "Cross tool prefix")
set(CMAKE_C_COMPILER ${TRIMODE_RISCV_PREFIX}gcc)
set(CMAKE_ASM_COMPILER ${TRIMODE_RISCV_PREFIX}gcc)
set(CMAKE_OBJCOPY ${TRIMODE_RISCV_PREFIX}objcopy CACHE FILEPATH "")
set(CMAKE_OBJDUMP ${TRIMODE_RISCV_PREFIX}objdump CACHE FILEPATH "")

# try_compile cannot link without our crt0 and linker script.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(TRIMODE_RISCV_ARCH_FLAGS "-misa-spec=2.2 -march=rv32im -mabi=ilp32 -mcmodel=medany")
set(CMAKE_C_FLAGS_INIT "${TRIMODE_RISCV_ARCH_FLAGS} --specs=picolibc.specs")
set(CMAKE_ASM_FLAGS_INIT "${TRIMODE_RISCV_ARCH_FLAGS} --specs=picolibc.specs")
# CMake links through the compiler driver with CMAKE_C_FLAGS already on the
# line; repeating --specs would make GCC reject the doubled spec file.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
