# The core's one-way pipeline, checked: a module of src/core includes only itself and modules to
# its left in LAYERS (docs/ARCHITECTURE.md). Run by ctest as `layering.includes`:
#   cmake -DCORE=<repo>/src/core -P tests/layering/check_layers.cmake
# A module is a folder of src/core (syntax/, sim/...) or a top-level file's name (request.h,
# analysis.h, pipeline.h, workspace.h...). Tests (*_test.cpp, *test_util.h) are not checked:
# they may use the whole pipeline to set up what they test.
cmake_minimum_required(VERSION 3.20)

set(LAYERS
  pipeline_limits  # limits every module may read
  units            # byte sizes as text (units.h)
  request          # plain data (forward declarations only)
  syntax shell instructions context examples catalog stages
  analysis sim cache checks report pipeline pipeline_job
  workspace workspace_input compare)

if(NOT CORE)
  message(FATAL_ERROR "usage: cmake -DCORE=<repo>/src/core -P check_layers.cmake")
endif()

function(module_of rel out)  # rel: a path relative to CORE
  string(FIND "${rel}" "/" slash)
  if(slash EQUAL -1)
    string(REGEX REPLACE "\\.[^.]*$" "" m "${rel}")
  else()
    string(SUBSTRING "${rel}" 0 ${slash} m)
  endif()
  set(${out} "${m}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files RELATIVE "${CORE}" "${CORE}/*.h" "${CORE}/*.cpp" "${CORE}/*.inc")
set(violations 0)
set(checked 0)
foreach(rel IN LISTS files)
  if(rel MATCHES "_test\\.cpp$" OR rel MATCHES "test_util\\.h$")
    continue()
  endif()
  module_of("${rel}" mod)
  list(FIND LAYERS "${mod}" rank)
  if(rank EQUAL -1)
    message(SEND_ERROR "${rel}: module `${mod}` is not in the layer list of ${CMAKE_CURRENT_LIST_FILE}")
    math(EXPR violations "${violations} + 1")
    continue()
  endif()
  get_filename_component(dir "${rel}" DIRECTORY)
  file(STRINGS "${CORE}/${rel}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" inc "${line}")
    # An include resolves next to the file first, then from src/core.
    if(NOT dir STREQUAL "" AND EXISTS "${CORE}/${dir}/${inc}")
      set(target "${dir}/${inc}")
    elseif(EXISTS "${CORE}/${inc}")
      set(target "${inc}")
    else()
      continue()  # generated or outside the core
    endif()
    module_of("${target}" imod)
    math(EXPR checked "${checked} + 1")
    if(imod STREQUAL mod)
      continue()
    endif()
    list(FIND LAYERS "${imod}" irank)
    if(irank EQUAL -1 OR irank GREATER rank)
      message(SEND_ERROR "${rel} (module ${mod}) includes \"${inc}\" (module ${imod}), which is not to its left")
      math(EXPR violations "${violations} + 1")
    endif()
  endforeach()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "${violations} include(s) against the pipeline's order")
endif()
message(STATUS "layering: ${checked} includes in ${CORE} follow the pipeline's order")
