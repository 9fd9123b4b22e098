#include "backdrop.h"

#include <GLES3/gl3.h>

#include <cstdint>
#include <vector>

#include "imgui_internal.h"
#include "model/fill_box.h"

namespace dfplay::app::backdrop {
namespace {

struct Fill {
  Box rect, clip;
  ImU32 color;
};

// This frame's fills (the callbacks carry their index); a new ImGui frame starts a new list.
std::vector<Fill> fills;
int fills_frame = -1;

// Before Begin(): the colour the window's background is to be painted in (ImGui then draws it
// with alpha 0, that is not at all), or 0 when ImGui is to draw it.
ImU32 take_background(ImGuiCol idx) {
  const ImU32 color = ImGui::GetColorU32(idx);
  if ((color & IM_COL32_A_MASK) != IM_COL32_A_MASK) return 0;
  ImGui::SetNextWindowBgAlpha(0.0f);
  return color;
}

// Called by ImGui's OpenGL 3 backend while it draws the background draw list (scissor test on).
void paint(const ImDrawList*, const ImDrawCmd* cmd) {
  const size_t i = reinterpret_cast<uintptr_t>(cmd->UserCallbackData);
  const ImDrawData* dd = ImGui::GetDrawData();
  if (i >= fills.size() || !dd) return;
  const Fill& f = fills[i];
  const ImVec2 scale = dd->FramebufferScale, off = dd->DisplayPos;
  const int fb_w = static_cast<int>(dd->DisplaySize.x * scale.x), fb_h = static_cast<int>(dd->DisplaySize.y * scale.y);
  const Box rect{f.rect.x0 - off.x, f.rect.y0 - off.y, f.rect.x1 - off.x, f.rect.y1 - off.y};
  const Box clip{f.clip.x0 - off.x, f.clip.y0 - off.y, f.clip.x1 - off.x, f.clip.y1 - off.y};
  const PixelBox b = fill_box(rect, clip, scale.x, scale.y, fb_w, fb_h);
  if (b.empty()) return;
  glScissor(b.x, b.y, b.width, b.height);
  glClearColor(((f.color >> IM_COL32_R_SHIFT) & 0xFF) / 255.0f, ((f.color >> IM_COL32_G_SHIFT) & 0xFF) / 255.0f,
               ((f.color >> IM_COL32_B_SHIFT) & 0xFF) / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
}

// After Begin(): the current window's background as Begin() would have drawn it (a child window
// clipped by its parent's clip rectangle, any other window by the viewport), painted by a
// callback of the background draw list, which ImGui's backend draws first.
void paint_current_window(ImU32 color) {
  const ImGuiWindow* w = ImGui::GetCurrentWindow();
  if (!color || w->Hidden) return;
  if (fills_frame != ImGui::GetFrameCount()) {
    fills.clear();
    fills_frame = ImGui::GetFrameCount();
  }
  const bool child = (w->Flags & ImGuiWindowFlags_ChildWindow) && !(w->Flags & ImGuiWindowFlags_Popup) && w->ParentWindow;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImRect host = child ? w->ParentWindow->ClipRect : ImRect(vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y));
  const float top = w->Pos.y + w->TitleBarHeight();
  fills.push_back({{w->Pos.x, top, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y}, {host.Min.x, host.Min.y, host.Max.x, host.Max.y}, color});
  ImGui::GetBackgroundDrawList()->AddCallback(paint, reinterpret_cast<void*>(static_cast<uintptr_t>(fills.size() - 1)));
}

}  // namespace

bool begin_window(const char* name, ImGuiWindowFlags flags) {
  const ImU32 color = take_background(ImGuiCol_WindowBg);
  const bool open = ImGui::Begin(name, nullptr, flags);
  paint_current_window(color);
  return open;
}

bool begin_child(const char* id, ImVec2 size, ImGuiWindowFlags flags) {
  const ImU32 color = take_background(ImGuiCol_ChildBg);
  const bool open = ImGui::BeginChild(id, size, ImGuiChildFlags_None, flags);
  paint_current_window(color);
  return open;
}

}  // namespace dfplay::app::backdrop
