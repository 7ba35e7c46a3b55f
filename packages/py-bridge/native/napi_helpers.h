// Argument checks and errno-to-JS-error helpers shared by every part of the addon.
#ifndef CWTS_NAPI_HELPERS_H
#define CWTS_NAPI_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <node_api.h>

#define MAX_SAFE_INT 9007199254740991.0

// Node-API calls only fail on a broken env or wrong JS types we have already checked;
// bail out with the pending exception (or undefined) rather than limp on.
#define CHECK(call) do { if ((call) != napi_ok) return NULL; } while (0)

// "ENOENT", "EBUSY", ... or "E<n>" written into buf.
const char *errno_name(int err, char *buf, size_t len);

// Throws `<call> failed: ECODE (description)` with error.code = "ECODE".
napi_value throw_errno(napi_env env, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

// Fetches exactly `n` arguments; fewer is a TypeError naming the function.
bool get_args(napi_env env, napi_callback_info info, size_t n, napi_value *argv, const char *fn);

// An integral JS number in [min, max]; a non-number is a TypeError, anything else a RangeError.
bool get_integer(napi_env env, napi_value v, const char *what, double min, double max, double *out);

// Resolves (ArrayBuffer, byteOffset) to a uint32 word: 4-aligned (futexes and atomics need
// it) and wholly inside the buffer. NULL with a pending exception otherwise.
uint32_t *get_shared_word(napi_env env, napi_value buffer, napi_value offset);

#endif
