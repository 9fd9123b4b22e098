# The core's one-way pipeline, checked: a module of src/core includes only itself and modules to
# its left in LAYERS (docs/ARCHITECTURE.md). Run by ctest as `layering.includes`:
#   cmake -DCORE=<repo>/src/core -P tests/layering/check_layers.cmake
# A module is a folder of src/core (syntax/, sim/...) or a top-level file's name (request.h,
# analysis.h, pipeline.h, workspace.h...). Tests (*_test.cpp, *test_util.h) are not checked:
# they may use the whole pipeline to set up what they test.
# Inside a module with parts (sim/, checks/), a part includes only itself and parts to its left
# in that module's list (SIM_PARTS, CHECKS_PARTS below).
cmake_minimum_required(VERSION 3.20)

set(LAYERS
  pipeline_limits  # limits every module may read
  units            # byte sizes as text (units.h)
  format_fixed     # decimal numbers as printf writes them, without printf (format_fixed.h)
  request          # plain data (forward declarations only)
  syntax shell instructions context examples catalog stages
  analysis sim cache checks report
  pipeline_result  # the pipeline's result and options (pipeline_result.h)
  pipeline_job     # the pipeline in units: the one definition of its order
  pipeline         # dfplay::run = a PipelineJob stepped to the end
  workspace workspace_input compare)

# sim/'s parts, left to right: the shell a RUN is written in (sim/shell/), the per-stage
# filesystem, /etc/passwd reading, `# dfplay:` annotations, the RUN effects (sim/effects.h and
# sim/effects/), archive extraction (ADD), the builder (build.h, build.cpp, builder.*, build_*.cpp).
set(SIM_PARTS shell vfs accounts annotation effects archive_extract build)
# checks/'s parts: the rule table and messages, `# check=` directives, the engine, the rule sets
# (BuildKit's checks in buildkit_checks.cpp, best practices in practices.cpp).
set(CHECKS_PARTS rules directive engine rulesets)

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

function(part_of rel mod out)  # the part of `mod` (sim, checks) that rel (relative to CORE) is in
  set(p "")
  get_filename_component(name "${rel}" NAME_WE)
  if(mod STREQUAL "sim")
    if(rel MATCHES "^sim/shell/")
      set(p shell)
    elseif(rel MATCHES "^sim/effects/" OR name STREQUAL "effects")
      set(p effects)
    elseif(name MATCHES "^build(er|_.*)?$")
      set(p build)
    else()
      set(p "${name}")
    endif()
  elseif(mod STREQUAL "checks")
    if(name MATCHES "^engine")
      set(p engine)
    elseif(name STREQUAL "buildkit_checks" OR name STREQUAL "practices")
      set(p rulesets)
    else()
      set(p "${name}")
    endif()
  endif()
  set(${out} "${p}" PARENT_SCOPE)
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
      if(mod STREQUAL "sim" OR mod STREQUAL "checks")
        string(TOUPPER "${mod}_PARTS" parts_var)
        part_of("${rel}" "${mod}" part)
        part_of("${target}" "${mod}" ipart)
        list(FIND ${parts_var} "${part}" prank)
        list(FIND ${parts_var} "${ipart}" iprank)
        if(prank EQUAL -1)
          message(SEND_ERROR "${rel}: part `${part}` of ${mod}/ is not in ${parts_var}")
          math(EXPR violations "${violations} + 1")
        elseif(iprank EQUAL -1 OR iprank GREATER prank)
          message(SEND_ERROR "${rel} (${mod}/ part ${part}) includes \"${inc}\" (part ${ipart}), which is not to its left")
          math(EXPR violations "${violations} + 1")
        endif()
      endif()
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
