// The GPIO kill line: requesting a line through the GPIO character device (uAPI v2) and a
// native watcher thread that sets the kill bit in the segment on the line's active edge.
#ifndef CWTS_GPIO_LINE_H
#define CWTS_GPIO_LINE_H

#include <node_api.h>

// gpioLineRequest(offset, options): the uAPI v2 request gpioOpenLine would send, decoded.
napi_value gpio_line_request_js(napi_env env, napi_callback_info info);
// gpioOpenLine(chipPath, offset, options): { fd, active, request }.
napi_value gpio_open_line_js(napi_env env, napi_callback_info info);
// gpioWatch(fd, offset, label, buffer, byteOffset, mask, onEvent): { stop(), stats() }.
napi_value gpio_watch_js(napi_env env, napi_callback_info info);

#endif
