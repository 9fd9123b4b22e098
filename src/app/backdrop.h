// Opaque window backgrounds painted by a clear instead of a quad.
//
// ImGui fills a window's background with a blended, textured quad. With software WebGL
// (SwiftShader: Chromium without a GPU) every such pixel costs ~30 ns: the two panels' backgrounds
// and the editor's took ~17 ms of a 1280x800 frame's ~37 ms in the GPU process, and the page's
// main thread waits for that work in the frame's Commit. A scissored glClear paints the same
// pixels in ~1 ms. The backgrounds are painted first, ahead of every draw list, in the colours
// and pixels ImGui would have used: only for windows that overlap nothing drawn before them (the
// panels tile the page; the editor's text box lies on its panel's background only).
#pragma once
#include "imgui.h"

namespace dfplay::app::backdrop {

// ImGui::Begin(): when the window's background (ImGuiCol_WindowBg as styled now) is opaque,
// ImGui draws none (the border it still draws) and a clear paints it before anything of the frame.
bool begin_window(const char* name, ImGuiWindowFlags flags);

// ImGui::BeginChild() without a border, the same for its ImGuiCol_ChildBg.
bool begin_child(const char* id, ImVec2 size, ImGuiWindowFlags flags);

}  // namespace dfplay::app::backdrop
