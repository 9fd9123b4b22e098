# Dear ImGui 1.90.1 for the wasm app: sources from Debian's source package (imgui=1.90.1+ds-1),
# fetched by script/fetch-imgui (run by script/bootstrap) into build/_imgui/imgui-1.90.1.
# Backends: GLFW (emscripten's built-in JS implementation) + OpenGL ES 3 (WebGL 2).
include_guard(GLOBAL)

set(IMGUI_DIR "${PROJECT_SOURCE_DIR}/build/_imgui/imgui-1.90.1" CACHE PATH
    "Dear ImGui 1.90.1 sources (imgui.cpp, backends/, misc/cpp/)")

foreach(f imgui.cpp imgui_draw.cpp imgui_tables.cpp imgui_widgets.cpp misc/cpp/imgui_stdlib.cpp
          backends/imgui_impl_glfw.cpp backends/imgui_impl_opengl3.cpp)
  if(NOT EXISTS "${IMGUI_DIR}/${f}")
    message(FATAL_ERROR
      "Dear ImGui sources not found: ${IMGUI_DIR}/${f} is missing.\n"
      "Run script/bootstrap (or script/fetch-imgui) to fetch them, "
      "or point -DIMGUI_DIR=... at an ImGui 1.90.1 source tree.")
  endif()
endforeach()

add_library(imgui STATIC
  "${IMGUI_DIR}/imgui.cpp"
  "${IMGUI_DIR}/imgui_draw.cpp"
  "${IMGUI_DIR}/imgui_tables.cpp"
  "${IMGUI_DIR}/imgui_widgets.cpp"
  "${IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp"
  "${IMGUI_DIR}/backends/imgui_impl_glfw.cpp"
  "${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp")
target_include_directories(imgui SYSTEM PUBLIC "${IMGUI_DIR}" "${IMGUI_DIR}/backends" "${IMGUI_DIR}/misc/cpp")
target_compile_definitions(imgui PUBLIC
  IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_DISABLE_DEMO_WINDOWS
  IMGUI_DISABLE_DEBUG_TOOLS
  IMGUI_DISABLE_FILE_FUNCTIONS      # no imgui.ini, no fopen: the app keeps its state itself
  # 32-bit ImWchar: with ImGui's default 16-bit one, a character outside the BMP (an emoji) typed
  # or pasted into the editor became U+FFFD in the Dockerfile.
  IMGUI_USE_WCHAR32
  IMGUI_IMPL_OPENGL_ES3)
target_compile_options(imgui PRIVATE -Os -w)
if(EMSCRIPTEN)
  # emscripten's built-in GLFW (JS) and WebGL 2.
  target_link_options(imgui PUBLIC "SHELL:-s USE_GLFW=3" "SHELL:-s USE_WEBGL2=1"
                      "SHELL:-s MIN_WEBGL_VERSION=2" "SHELL:-s MAX_WEBGL_VERSION=2")
endif()
