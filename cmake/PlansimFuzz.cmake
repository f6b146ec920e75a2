# PLANSIM_FUZZ=ON: every target is built with libFuzzer's coverage
# instrumentation, AddressSanitizer and UndefinedBehaviorSanitizer, and
# fuzz/ adds one libFuzzer executable per harness.  Needs clang (Debian:
# clang and libclang-rt-14-dev, which holds libFuzzer's runtime).
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "PLANSIM_FUZZ needs clang: configure with CC=clang")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                    -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                    -g -O1)
add_link_options(-fsanitize=address,undefined)
