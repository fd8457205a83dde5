#pragma once
#include "core/renderer.h"

namespace gaussmap::reference {

// The exact double-precision renderer behind the Renderer interface (values rounded to float32).
class ReferenceRenderer : public Renderer {
 public:
  std::string name() const override { return "reference"; }
  FloatImage render(const Scene& scene) override;
  FloatImage renderWindow(const Scene& scene, const SampleWindow& window) override;
};

}  // namespace gaussmap::reference
