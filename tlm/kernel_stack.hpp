// The calling thread's own stack, given back to AddressSanitizer after a
// SystemC simulation (docs/sanitizers.md, "SystemC's coroutine stacks").
//
// Debian's SystemC 2.3.4 tells ASan about each switch between its QuickThreads
// coroutines (__sanitizer_start/finish_switch_fiber), but when control is back
// on the main thread's stack after sc_start() returns, ASan still records the
// stack of a coroutine (256 KiB, mmap'ed beside other coroutines' stacks and
// guard pages) as the main thread's. LeakSanitizer's check at exit then scans
// that range instead of the real stack: where another mapping has taken part
// of it since, the scan faults ("Tracer caught signal 11", a failed test with
// no leak). restore_thread_stack() records the thread's real stack again.
// Call it on the thread that ran sc_start(), once no coroutine runs any more
// (the end of sc_main, a test's teardown). Without ASan it does nothing.
#pragma once

#if defined(__SANITIZE_ADDRESS__)  // gcc
#define TRIMODE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)  // clang
#define TRIMODE_ASAN 1
#endif
#endif

#if defined(TRIMODE_ASAN)
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace trimode {

inline void restore_thread_stack() {
#if defined(TRIMODE_ASAN)
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* base = nullptr;
  size_t size = 0;
  const bool known = pthread_attr_getstack(&attr, &base, &size) == 0;
  pthread_attr_destroy(&attr);
  if (!known) return;
  void* fake_stack = nullptr;  // none: SystemC's switches keep no fake stack for this one
  __sanitizer_start_switch_fiber(&fake_stack, base, size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#endif
}

// Calls restore_thread_stack() when it goes out of scope: the first object of
// an sc_main, so that every return path runs it after the simulation.
struct RestoreThreadStackOnReturn {
  RestoreThreadStackOnReturn() = default;
  RestoreThreadStackOnReturn(const RestoreThreadStackOnReturn&) = delete;
  RestoreThreadStackOnReturn& operator=(const RestoreThreadStackOnReturn&) = delete;
  ~RestoreThreadStackOnReturn() { restore_thread_stack(); }
};

}  // namespace trimode
