{
  "targets": [
    {
      "target_name": "cwts_matcher",
      "sources": ["native/order_book.cpp", "native/addon.cpp"],
      # node's common.gypi adds -O3, -fno-exceptions and -Wno-unused-parameter; we want -O2 and every warning.
      "cflags!": ["-O3", "-Wno-unused-parameter"],
      "cflags_cc!": ["-O3", "-std=gnu++17", "-Wno-unused-parameter"],
      "cflags_cc": ["-O2", "-Wall", "-Wextra", "-std=c++17"]
    }
  ]
}
