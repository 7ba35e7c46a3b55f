{
  "targets": [
    {
      "target_name": "cwts_native",
      "sources": ["native/cwts_native.c", "native/napi_helpers.c", "native/gpio_line.c"],
      # node's common.gypi adds -O3 and -Wno-unused-parameter; we want exactly -O2 and every warning.
      "cflags!": ["-O3", "-Wno-unused-parameter"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-std=c11", "-D_GNU_SOURCE"],
      "libraries": ["-lrt", "-lpthread"]
    }
  ]
}
