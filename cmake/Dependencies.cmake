# Third-party code comes from Debian's packages; nothing is vendored.
#   fmt (libfmt-dev 9.1, header-only), nlohmann_json (nlohmann-json3-dev 3.11),
#   xxhash (libxxhash-dev 0.8, header-only), doctest (doctest-dev 2.4.9, tests only).
# For the wasm build, /usr/include must never be on the include path (it would drag glibc
# headers into the build), so the header-only libraries are exposed through a private folder
# of symlinks under the build tree.

set(DFPLAY_SYSTEM_INCLUDE "/usr/include" CACHE PATH "Where Debian's header-only dependencies live")

function(dfplay_require_header path package)
  if(NOT EXISTS "${DFPLAY_SYSTEM_INCLUDE}/${path}")
    message(FATAL_ERROR "Missing ${DFPLAY_SYSTEM_INCLUDE}/${path}: install it with `apt-get install ${package}` (or run script/bootstrap).")
  endif()
endfunction()

dfplay_require_header(fmt/format.h libfmt-dev)
dfplay_require_header(nlohmann/json.hpp nlohmann-json3-dev)
dfplay_require_header(xxhash.h libxxhash-dev)

set(DFPLAY_DEPS_INCLUDE "${CMAKE_BINARY_DIR}/_deps/include")
file(MAKE_DIRECTORY "${DFPLAY_DEPS_INCLUDE}")
foreach(entry fmt nlohmann xxhash.h)
  file(CREATE_LINK "${DFPLAY_SYSTEM_INCLUDE}/${entry}" "${DFPLAY_DEPS_INCLUDE}/${entry}" SYMBOLIC)
endforeach()

add_library(dfplay_deps INTERFACE)
target_include_directories(dfplay_deps SYSTEM INTERFACE "${DFPLAY_DEPS_INCLUDE}")
target_compile_definitions(dfplay_deps INTERFACE FMT_HEADER_ONLY=1 XXH_INLINE_ALL=1)
if(EMSCRIPTEN)
  # fmt without std::locale: its only use is the thousands separator of `{:L}` (which we never
  # use), and it links libc++'s whole locale machinery (num_get, money_get, time_get, codecvt...):
  # ~78 KB of wasm code. 44 is ','.
  target_compile_definitions(dfplay_deps INTERFACE FMT_STATIC_THOUSANDS_SEPARATOR=44)
endif()

if(DFPLAY_TESTS AND NOT EMSCRIPTEN)
  find_package(doctest CONFIG QUIET)
  if(NOT doctest_FOUND)
    message(FATAL_ERROR "Missing doctest: install it with `apt-get install doctest-dev` (or run script/bootstrap).")
  endif()
endif()
