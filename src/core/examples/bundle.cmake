# cmake -DEXAMPLES_DIR=<repo>/examples -DOUTPUT=<file> -P bundle.cmake
# Packs every file of every example folder into one text bundle, which embed.cmake then
# compiles in (see src/core/CMakeLists.txt). One record per file, in path order:
#   "F <size> <id>/<relative path>\n" followed by exactly <size> bytes of content.
# Text files only (CMake strings cannot hold NUL bytes); file modes are not recorded.
if(NOT EXAMPLES_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DEXAMPLES_DIR=<dir> -DOUTPUT=<file> -P bundle.cmake")
endif()
file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${EXAMPLES_DIR}" "${EXAMPLES_DIR}/*/*")
list(SORT files)
set(bundle "")
foreach(rel IN LISTS files)
  if(rel MATCHES "\n")
    message(FATAL_ERROR "examples/${rel}: a file name with a newline cannot be bundled")
  endif()
  file(READ "${EXAMPLES_DIR}/${rel}" content)
  string(LENGTH "${content}" size)
  file(SIZE "${EXAMPLES_DIR}/${rel}" disk_size)
  if(NOT size EQUAL disk_size)
    message(FATAL_ERROR "examples/${rel}: only text files can be bundled (read ${size} of ${disk_size} bytes)")
  endif()
  string(APPEND bundle "F ${size} ${rel}\n${content}")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${bundle}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
