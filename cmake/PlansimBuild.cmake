# Build helpers shared by every folder: warnings, the sanitizer build type,
# one static library per engine module, one test executable per test file.

set(PLANSIM_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wno-unused-parameter)

# No fused multiply-add contraction: the same source gives the same bits
# whatever the compiler is allowed to fuse on a given target.
add_compile_options(-ffp-contract=off)

# Build type "Sanitize": AddressSanitizer + UndefinedBehaviorSanitizer.
set(CMAKE_C_FLAGS_SANITIZE
    "-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    CACHE STRING "C flags of the Sanitize build type" FORCE)
set(CMAKE_EXE_LINKER_FLAGS_SANITIZE "-fsanitize=address,undefined"
    CACHE STRING "Linker flags of the Sanitize build type" FORCE)
set(CMAKE_SHARED_LINKER_FLAGS_SANITIZE "-fsanitize=address,undefined"
    CACHE STRING "Linker flags of the Sanitize build type" FORCE)

# plansim_add_module(NAME SOURCES src... [DEPS target...])
# A static library ps_<NAME> that sees the public headers and its own folder.
function(plansim_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(ps_${name} STATIC ${M_SOURCES})
  target_include_directories(ps_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/engine/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_options(ps_${name} PRIVATE ${PLANSIM_WARNINGS})
  target_link_libraries(ps_${name} PUBLIC ${M_DEPS} m)
endfunction()

# plansim_add_test(NAME SOURCES src... LIBS target... [PRIVATE_DIRS dir...])
# One cmocka executable per test file, registered with CTest as NAME.
function(plansim_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;PRIVATE_DIRS;ENVIRONMENT" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_include_directories(${name} PRIVATE ${T_PRIVATE_DIRS}
    ${PROJECT_SOURCE_DIR}/tests/support)
  target_compile_options(${name} PRIVATE ${PLANSIM_WARNINGS})
  target_link_libraries(${name} PRIVATE ${T_LIBS} PkgConfig::CMOCKA m)
  add_test(NAME ${name} COMMAND ${name}
           WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "PLANSIM_SOURCE_DIR=${PROJECT_SOURCE_DIR};${T_ENVIRONMENT}")
endfunction()
