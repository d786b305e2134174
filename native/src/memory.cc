// mallocTrim(): gives the pages glibc's allocator holds free back to the OS (malloc_trim(3)).
//
// Why: free() returns memory to the OS only from the top of the brk heap. A node's media buffers
// (window B, socket reads, archive records) are many small allocations; after a burst (a stalled
// event loop, a disk that fell behind) is freed, the pages between the survivors stay resident:
// in the 20-stream memory soak the origin's brk heap stayed at 160 MiB with 45 MiB of
// ArrayBuffers live. malloc_trim(0) also releases whole free pages in the middle of the heap
// (glibc >= 2.8, MADV_DONTNEED). Elsewhere (musl, macOS) it does nothing and says so.
#define NAPI_VERSION 8
#include <napi.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace canopy {

Napi::Value MallocTrim(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  return Napi::Boolean::New(info.Env(), malloc_trim(0) != 0);
#else
  return info.Env().Null();
#endif
}

}  // namespace canopy
