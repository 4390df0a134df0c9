#include "sim/report/progress.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <string>

namespace meshsim {
namespace {

// Carriage return to redraw in place, and ANSI "erase to end of line" so a shorter line leaves no
// tail; the bar is only enabled on a terminal.
constexpr const char* kReturn = "\r";
constexpr const char* kEraseLine = "\x1b[K";

}  // namespace

ProgressBar::ProgressBar(int64_t total_sim_us, std::ostream& out, bool enabled)
    : total_sim_us_(total_sim_us), out_(out), enabled_(enabled) {}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Update(int64_t sim_now_us, double wall_elapsed_s) {
  if (!enabled_ || finished_ || !(wall_elapsed_s > kDelaySeconds)) return;
  if (drawn_ && wall_elapsed_s - last_draw_s_ < kRedrawSeconds) return;

  const double sim_s = static_cast<double>(std::max<int64_t>(sim_now_us, 0)) / 1e6;
  const double speed = sim_s / wall_elapsed_s;
  std::string line;
  if (total_sim_us_ > 0) {
    const double fraction =
        std::clamp(static_cast<double>(sim_now_us) / static_cast<double>(total_sim_us_), 0.0, 1.0);
    const int filled = static_cast<int>(fraction * kBarWidth);
    const double left_s = fraction > 0 ? wall_elapsed_s * (1 - fraction) / fraction : 0;
    // kBarWidth characters: '#' for the part done, '.' for the rest.
    const std::string bar = fmt::format("{:#<{}}{:.<{}}", "", filled, "", kBarWidth - filled);
    line =
        fmt::format("[{}] {:3.0f}%  {:.0f}/{:.0f} s simulated  {:.0f}x  ~{:.0f} s left", bar,
                    fraction * 100, sim_s, static_cast<double>(total_sim_us_) / 1e6, speed, left_s);
  } else {
    line = fmt::format("{:.0f} s simulated  {:.0f}x", sim_s, speed);
  }
  out_ << kReturn << line << kEraseLine << std::flush;
  drawn_ = true;
  last_draw_s_ = wall_elapsed_s;
}

void ProgressBar::Finish() {
  if (finished_) return;
  finished_ = true;
  if (drawn_) out_ << kReturn << kEraseLine << std::flush;
}

}  // namespace meshsim
