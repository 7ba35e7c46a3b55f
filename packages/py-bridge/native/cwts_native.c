// cwts_native: the few syscalls the bridge needs and JS lacks — POSIX shared memory,
// process-shared futexes and thread pinning (the GPIO kill line is in gpio_line.c). Plain C over Node-API; no mutable globals,
// so one copy serves every worker_thread.
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <node_api.h>

#include "gpio_line.h"
#include "napi_helpers.h"

#define NAME_MAX_BYTES 200  // well under NAME_MAX (255) once "/" is prepended

// Reads a shm name into `path` as "/<name>". Checked before any syscall so a bad name
// can never reach into another directory or be silently truncated.
static bool get_shm_path(napi_env env, napi_value v, char path[NAME_MAX_BYTES + 2]) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "shm name must be a string");
    return false;
  }
  if (len == 0 || len > NAME_MAX_BYTES) {
    char msg[96];
    snprintf(msg, sizeof msg, "shm name must be 1..%d bytes of UTF-8, got %zu", NAME_MAX_BYTES, len);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  path[0] = '/';
  if (napi_get_value_string_utf8(env, v, path + 1, NAME_MAX_BYTES + 1, &len) != napi_ok) return false;
  if (memchr(path + 1, '/', len) || strlen(path + 1) != len) {  // strlen catches an embedded NUL
    napi_throw_type_error(env, NULL, "shm name must not contain '/' or NUL");
    return false;
  }
  return true;
}

// Runs on the JS thread once the ArrayBuffer is collected; the hint carries the length.
static void unmap_finalizer(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

// Wraps a MAP_SHARED mapping; on failure the mapping is released here.
static napi_value wrap_mapping(napi_env env, void *addr, size_t size) {
  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(env, addr, size, unmap_finalizer, (void *)(uintptr_t)size, &buffer);
  if (status != napi_ok) {
    munmap(addr, size);
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (!pending) napi_throw_error(env, NULL, "cannot wrap the mapping in an ArrayBuffer (external buffers disallowed?)");
    return NULL;
  }
  return buffer;
}

static napi_value shm_create(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char path[NAME_MAX_BYTES + 2];
  double size, mode;
  if (!get_args(env, info, 3, argv, "shmCreate") || !get_shm_path(env, argv[0], path) ||
      !get_integer(env, argv[1], "size", 1, MAX_SAFE_INT, &size) ||
      !get_integer(env, argv[2], "mode", 0, 0777, &mode))
    return NULL;

  // O_EXCL: never adopt (and then truncate) an object someone else already owns.
  int fd = shm_open(path, O_CREAT | O_EXCL | O_RDWR, (mode_t)mode);
  if (fd < 0) return throw_errno(env, errno, "shm_open(\"%s\")", path);
  const char *step = NULL;
  // shm_open applied the umask; fchmod sets exactly the mode asked for.
  if (fchmod(fd, (mode_t)mode) != 0) step = "fchmod";
  else if (ftruncate(fd, (off_t)size) != 0) step = "ftruncate";
  void *addr = step ? MAP_FAILED : mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (!step && addr == MAP_FAILED) step = "mmap";
  int err = errno;
  close(fd);  // the mapping keeps the object alive; the fd is no longer needed
  if (step) {
    shm_unlink(path);  // we created it under O_EXCL: don't leave a half-made object behind
    return throw_errno(env, err, "%s(\"%s\")", step, path);
  }
  return wrap_mapping(env, addr, (size_t)size);
}

static napi_value shm_attach(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[NAME_MAX_BYTES + 2];
  if (!get_args(env, info, 1, argv, "shmAttach") || !get_shm_path(env, argv[0], path)) return NULL;

  int fd = shm_open(path, O_RDWR, 0);
  if (fd < 0) return throw_errno(env, errno, "shm_open(\"%s\")", path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "fstat(\"%s\")", path);
  }
  if (st.st_size == 0) {  // created but not yet ftruncated, or not ours: mmap would fail with EINVAL
    close(fd);
    char msg[320];
    snprintf(msg, sizeof msg, "shm object \"%s\" is empty (size 0)", path);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  void *addr = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);
  if (addr == MAP_FAILED) return throw_errno(env, err, "mmap(\"%s\")", path);
  return wrap_mapping(env, addr, (size_t)st.st_size);
}

static napi_value shm_unlink_js(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char path[NAME_MAX_BYTES + 2];
  if (!get_args(env, info, 1, argv, "shmUnlink") || !get_shm_path(env, argv[0], path)) return NULL;
  if (shm_unlink(path) != 0) return throw_errno(env, errno, "shm_unlink(\"%s\")", path);
  return NULL;
}

static napi_value shm_size(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char path[NAME_MAX_BYTES + 2];
  if (!get_args(env, info, 1, argv, "shmSize") || !get_shm_path(env, argv[0], path)) return NULL;
  int fd = shm_open(path, O_RDONLY, 0);
  if (fd < 0) return throw_errno(env, errno, "shm_open(\"%s\")", path);
  struct stat st;
  int rc = fstat(fd, &st), err = errno;
  close(fd);
  if (rc != 0) return throw_errno(env, err, "fstat(\"%s\")", path);
  CHECK(napi_create_double(env, (double)st.st_size, &result));
  return result;
}

static napi_value futex_wait(napi_env env, napi_callback_info info) {
  napi_value argv[4], result;
  double expected, timeout_ms;
  uint32_t *word;
  if (!get_args(env, info, 4, argv, "futexWait") || !(word = get_shared_word(env, argv[0], argv[1])) ||
      !get_integer(env, argv[2], "expected", INT32_MIN, UINT32_MAX, &expected))
    return NULL;
  if (napi_get_value_double(env, argv[3], &timeout_ms) != napi_ok || isnan(timeout_ms)) {
    napi_throw_type_error(env, NULL, "timeoutMs must be a number (negative waits forever)");
    return NULL;
  }
  // Negative int32 and its uint32 twin are the same 32 bits; the kernel compares bits.
  uint32_t val = (uint32_t)(int64_t)expected;
  struct timespec ts, *tsp = NULL;  // FUTEX_WAIT takes a relative CLOCK_MONOTONIC timeout
  if (timeout_ms >= 0 && timeout_ms < 1e15) {  // beyond ~30000 years (or Infinity) is forever
    ts.tv_sec = (time_t)(timeout_ms / 1000);
    ts.tv_nsec = (long)((timeout_ms - (double)ts.tv_sec * 1000) * 1e6);
    tsp = &ts;
  }
  // No FUTEX_PRIVATE_FLAG: the word lives in a MAP_SHARED object, so the kernel must key
  // it by (inode, offset) for a waiter in another process or mapping to be found.
  long rc = syscall(SYS_futex, word, FUTEX_WAIT, val, tsp, NULL, 0);
  const char *outcome = "ok";  // woken, or EINTR: a spurious wake the caller re-checks
  if (rc != 0 && errno == EAGAIN) outcome = "not-equal";
  else if (rc != 0 && errno == ETIMEDOUT) outcome = "timeout";
  else if (rc != 0 && errno != EINTR) return throw_errno(env, errno, "futex(FUTEX_WAIT)");
  CHECK(napi_create_string_utf8(env, outcome, NAPI_AUTO_LENGTH, &result));
  return result;
}

static napi_value futex_wake(napi_env env, napi_callback_info info) {
  napi_value argv[3], result;
  double count;
  uint32_t *word;
  if (!get_args(env, info, 3, argv, "futexWake") || !(word = get_shared_word(env, argv[0], argv[1])) ||
      !get_integer(env, argv[2], "count", 0, MAX_SAFE_INT, &count))
    return NULL;
  int n = count > INT_MAX ? INT_MAX : (int)count;  // the kernel takes an int; INT_MAX means all
  long rc = syscall(SYS_futex, word, FUTEX_WAKE, n, NULL, NULL, 0);
  if (rc < 0) return throw_errno(env, errno, "futex(FUTEX_WAKE)");
  CHECK(napi_create_int32(env, (int32_t)rc, &result));
  return result;
}

static long online_cpus_count(void) { return sysconf(_SC_NPROCESSORS_ONLN); }

static napi_value pin_thread(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  double core;
  if (!get_args(env, info, 1, argv, "pinThread")) return NULL;
  if (napi_get_value_double(env, argv[0], &core) != napi_ok) {
    napi_throw_type_error(env, NULL, "core must be a number");
    return NULL;
  }
  long online = online_cpus_count();
  if (!(core >= 0 && core < CPU_SETSIZE) || core != trunc(core)) {
    char msg[160];
    snprintf(msg, sizeof msg, "pinThread(%g): no such core; %ld CPUs online", core, online);
    napi_throw_error(env, "EINVAL", msg);
    return NULL;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET((size_t)core, &set);
  // pid 0 is the calling thread only (affinity is per-thread on Linux), not the process.
  if (sched_setaffinity(0, sizeof set, &set) != 0)
    return throw_errno(env, errno, "pinThread(%.0f) with %ld CPUs online: sched_setaffinity", core, online);
  return NULL;
}

static napi_value online_cpus(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  CHECK(napi_create_int32(env, (int32_t)online_cpus_count(), &result));
  return result;
}

static napi_value current_cpu(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  int cpu = sched_getcpu();
  if (cpu < 0) return throw_errno(env, errno, "sched_getcpu()");
  CHECK(napi_create_int32(env, cpu, &result));
  return result;
}

// mlockall(MCL_CURRENT): the pages the engine has touched stay resident, so the hot path
// takes no major page fault. Not MCL_FUTURE: V8 then fails to re-protect its code space.
// Fails with EPERM/ENOMEM under a low RLIMIT_MEMLOCK.
static napi_value lock_memory(napi_env env, napi_callback_info info) {
  (void)info;
  if (mlockall(MCL_CURRENT) != 0) return throw_errno(env, errno, "mlockall(MCL_CURRENT)");
  return NULL;
}

// V8 aborts at isolate teardown if its pages are still locked: unlock before exiting.
static napi_value unlock_memory(napi_env env, napi_callback_info info) {
  (void)info;
  if (munlockall() != 0) return throw_errno(env, errno, "munlockall()");
  return NULL;
}

// Runs once per env (main thread and each worker); registers functions only.
NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  const napi_property_descriptor props[] = {
      {"shmCreate", NULL, shm_create, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmAttach", NULL, shm_attach, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmUnlink", NULL, shm_unlink_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmSize", NULL, shm_size, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWait", NULL, futex_wait, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWake", NULL, futex_wake, NULL, NULL, NULL, napi_enumerable, NULL},
      {"pinThread", NULL, pin_thread, NULL, NULL, NULL, napi_enumerable, NULL},
      {"onlineCpus", NULL, online_cpus, NULL, NULL, NULL, napi_enumerable, NULL},
      {"currentCpu", NULL, current_cpu, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lockMemory", NULL, lock_memory, NULL, NULL, NULL, napi_enumerable, NULL},
      {"unlockMemory", NULL, unlock_memory, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gpioLineRequest", NULL, gpio_line_request_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gpioOpenLine", NULL, gpio_open_line_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"gpioWatch", NULL, gpio_watch_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}
