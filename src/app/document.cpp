#include "app/document.h"

#include <cstdio>
#include <filesystem>
#include <utility>

#include "core/animation.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene_json.h"
#include "io/atomic_file.h"

namespace gaussmap::app {

Document::Document(Scene scene, std::string path)
    : scene_(std::move(scene)), path_(std::move(path)) {
  validateScene(scene_);
  updateView();
}

void Document::updateView() {
  view_ = sceneAtTime(scene_, time_);
}

void Document::setTime(double t) {
  if (t == time_) return;
  time_ = t;
  updateView();
  ++revision_;
}

void Document::select(std::optional<int> kernel_index) {
  setSelectionChecked(kernel_index);
}

std::string kernelName(const Scene& scene, int index) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
  std::string name(1, '#');
  name.append(std::to_string(index + 1));
  if (index >= 0 && index < int(scene.kernels.size()) && !scene.kernels[index].label.empty())
    name.append(" '").append(scene.kernels[index].label).append("'");
  return name;
}

void Document::setSelectionChecked(std::optional<int> kernel_index) {
  const bool exists =
      kernel_index && *kernel_index >= 0 && *kernel_index < int(scene_.kernels.size());
  selected_ = exists ? kernel_index : std::nullopt;
}

void Document::apply(const std::string& description, const std::function<void(Scene&)>& edit,
                     const std::string& merge_key) {
  Scene edited = view_;
  edit(edited);
  // Back from the view at time_ to the animated scene: kernels that changed get a key at time_
  // (auto-key) or, without keys of their own, simply their new values. A keyed kernel's own
  // values are overridden by its keys wherever they give a field, so taking the view's values
  // for them changes nothing else.
  if (edited.kernels.size() == view_.kernels.size()) {
    for (std::size_t i = 0; i < edited.kernels.size(); ++i) {
      Kernel& k = edited.kernels[i];
      const Kernel& before = view_.kernels[i];
      bool changed = k.cov != before.cov;
      for (int f = 0; f < kAnimatedFieldCount; ++f)
        changed = changed || k.field(AnimatedField(f)) != before.field(AnimatedField(f));
      if (!changed) continue;
      if (auto_key_)
        setKeyAt(k, time_);
      else if (!k.keys.empty())
        throw InputError("kernel " + kernelName(view_, int(i)) +
                         " is animated: turn on auto-key to change it at this time");
    }
  }
  validateScene(edited);

  const bool merge = !merge_key.empty() && merge_key == merge_key_ && !undo_.empty();
  if (merge) {
    undo_.back().after = edited;
    // The merged step is a new state: a save in the middle of a drag is no longer current.
    undo_.back().state = next_state_++;
  } else {
    undo_.push_back(Step{description, scene_, edited, selected_, std::nullopt, next_state_++});
  }
  redo_.clear();
  scene_ = std::move(edited);
  updateView();
  merge_key_ = merge_key;
  modified_ = currentState() != saved_state_;
  ++revision_;
  ++scene_revision_;
  setSelectionChecked(selected_);
}

void Document::undo() {
  if (undo_.empty()) return;
  Step step = std::move(undo_.back());
  undo_.pop_back();
  step.selection_after = selected_;
  scene_ = step.before;
  updateView();
  setSelectionChecked(step.selection_before);
  redo_.push_back(std::move(step));
  merge_key_.clear();
  modified_ = currentState() != saved_state_;
  ++revision_;
  ++scene_revision_;
}

void Document::redo() {
  if (redo_.empty()) return;
  Step step = std::move(redo_.back());
  redo_.pop_back();
  scene_ = step.after;
  updateView();
  setSelectionChecked(step.selection_after);
  undo_.push_back(std::move(step));
  merge_key_.clear();
  modified_ = currentState() != saved_state_;
  ++revision_;
  ++scene_revision_;
}

std::string Document::undoDescription() const {
  return undo_.empty() ? std::string() : undo_.back().description;
}

std::string Document::redoDescription() const {
  return redo_.empty() ? std::string() : redo_.back().description;
}

void Document::load(const std::string& path) {
  // A FIFO (or a device) would block the viewer's only thread until someone writes to it.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError(path + ": not a regular file (the viewer opens scene files only)");
  Scene loaded = loadScene(path);  // throws before anything here changes
  scene_ = std::move(loaded);
  time_ = 0;
  updateView();
  path_ = path;
  undo_.clear();
  redo_.clear();
  merge_key_.clear();
  selected_.reset();
  saved_state_ = currentState();
  modified_ = false;
  ++revision_;
  ++scene_revision_;
}

void Document::writeTo(const std::string& path) const {
  const std::string json = sceneToJson(scene_);
  writeTextFileAtomically(path, json);
}

void Document::save() {
  if (path_.empty()) throw RuntimeError("this scene has no file yet: use save-as to choose one");
  writeTo(path_);
  saved_state_ = currentState();
  modified_ = false;
}

void Document::saveAs(const std::string& path) {
  if (path.empty()) throw RuntimeError("save-as: the file name is empty");
  writeTo(path);
  path_ = path;
  saved_state_ = currentState();
  modified_ = false;
}

}  // namespace gaussmap::app
