// Shared helpers of the addon: see napi_helpers.h.
#include "napi_helpers.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *errno_name(int err, char *buf, size_t len) {
  switch (err) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EPERM: return "EPERM";
    case ENOSPC: return "ENOSPC";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EFBIG: return "EFBIG";
    case EFAULT: return "EFAULT";
    case ENOSYS: return "ENOSYS";
    case ESRCH: return "ESRCH";
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case ENOTTY: return "ENOTTY";
    case ENXIO: return "ENXIO";
    case EBADF: return "EBADF";
    case EIO: return "EIO";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    default: snprintf(buf, len, "E%d", err); return buf;
  }
}

napi_value throw_errno(napi_env env, int err, const char *fmt, ...) {
  char call[320], msg[512], code[16], desc[128];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(call, sizeof call, fmt, ap);
  va_end(ap);
  const char *name = errno_name(err, code, sizeof code);
  // GNU strerror_r: thread-safe (workers), may return a static string instead of filling desc.
  snprintf(msg, sizeof msg, "%s failed: %s (%s)", call, name, strerror_r(err, desc, sizeof desc));
  napi_throw_error(env, name, msg);
  return NULL;
}

bool get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, const char *fn) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < n) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s expects %zu argument%s", fn, n, n == 1 ? "" : "s");
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

bool get_integer(napi_env env, napi_value v, const char *what, double min, double max, double *out) {
  char msg[160];
  if (napi_get_value_double(env, v, out) != napi_ok) {
    snprintf(msg, sizeof msg, "%s must be a number", what);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  if (!(*out >= min && *out <= max) || *out != trunc(*out)) {
    snprintf(msg, sizeof msg, "%s must be an integer in [%.0f, %.0f], got %g", what, min, max, *out);
    napi_throw_range_error(env, NULL, msg);
    return false;
  }
  return true;
}

// The kernel rejects unaligned futexes with EINVAL; the GPIO watcher ORs into the same kind of word.
uint32_t *get_shared_word(napi_env env, napi_value buffer, napi_value offset) {
  bool is_ab = false;
  void *data = NULL;
  size_t len = 0;
  double off;
  if (napi_is_arraybuffer(env, buffer, &is_ab) != napi_ok || !is_ab) {
    napi_throw_type_error(env, NULL, "buffer must be an ArrayBuffer");
    return NULL;
  }
  if (napi_get_arraybuffer_info(env, buffer, &data, &len) != napi_ok) return NULL;
  if (!get_integer(env, offset, "byteOffset", 0, MAX_SAFE_INT, &off)) return NULL;
  if ((uint64_t)off % 4 != 0 || (uint64_t)off + 4 > len) {
    char msg[128];
    snprintf(msg, sizeof msg, "byteOffset %.0f must be 4-aligned and leave 4 bytes in a buffer of %zu", off, len);
    napi_throw_range_error(env, NULL, msg);
    return NULL;
  }
  return (uint32_t *)((char *)data + (size_t)off);
}

