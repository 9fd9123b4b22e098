# cmake -DINPUT=FILE -DOUTPUT=FILE.cpp -P embed.cmake
# Writes a .cpp defining a function that returns the file's bytes: raw string literals of at most
# 8000 bytes each, joined once at run time. It embedded the catalog's JSON until the catalog was
# compiled to data (catalog_compiler_main.cpp); the built-in examples use it now (see
# src/core/CMakeLists.txt), passing their own names. Optional parameters and their defaults:
#   -DNAMESPACE=dfplay::catalog::detail  -DFUNCTION=embedded_catalog_json
#   -DDELIM=dfplay_catalog (raw-string delimiter)  -DLABEL=src/core/catalog/images.json
if(NOT INPUT OR NOT OUTPUT)
  message(FATAL_ERROR "usage: cmake -DINPUT=<file> -DOUTPUT=<cpp> [-DNAMESPACE=ns] [-DFUNCTION=name] [-DDELIM=d] [-DLABEL=text] -P embed.cmake")
endif()
if(NOT NAMESPACE)
  set(NAMESPACE "dfplay::catalog::detail")
endif()
if(NOT FUNCTION)
  set(FUNCTION "embedded_catalog_json")
endif()
if(NOT DELIM)
  set(DELIM "dfplay_catalog")
endif()
if(NOT LABEL)
  set(LABEL "src/core/catalog/images.json")
endif()
file(READ "${INPUT}" content)
set(delim "${DELIM}")
string(FIND "${content}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delim}\"")
endif()
string(LENGTH "${content}" length)
set(chunk 8000)
set(body "")
set(offset 0)
while(offset LESS length)
  string(SUBSTRING "${content}" ${offset} ${chunk} piece)
  string(APPEND body "    R\"${delim}(${piece})${delim}\",\n")
  math(EXPR offset "${offset} + ${chunk}")
endwhile()
if(body STREQUAL "")
  set(body "    \"\",\n")
endif()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${LABEL} by src/core/catalog/embed.cmake. Do not edit.
#include <string>
#include <string_view>

namespace ${NAMESPACE} {
namespace {
const char* const kChunks[] = {
${body}};
}  // namespace

std::string_view ${FUNCTION}() {
  static const std::string text = [] {
    std::string s;
    for (const char* c : kChunks) s += c;
    return s;
  }();
  return text;
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
