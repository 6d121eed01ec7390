// needle's MLPResNet (the course's apps/mlp_resnet.py), written with the
// tracing frontend's nn modules.
#ifndef NEEDLE_EXAMPLES_MLP_RESNET_H
#define NEEDLE_EXAMPLES_MLP_RESNET_H

#include "compiler/frontend/Layers.h"

#include <vector>

namespace needle::examples {

inline nn::Sequential
ResidualBlock(int64_t dim, int64_t hiddenDim,
              const nn::LayerFactory &norm = nn::layer<nn::BatchNorm1d>(),
              double dropProb = 0.1) {
  return nn::Sequential{
      nn::Residual(nn::Sequential{nn::Linear(dim, hiddenDim), norm(hiddenDim), nn::ReLU(),
                                  nn::Dropout(dropProb), nn::Linear(hiddenDim, dim),
                                  norm(dim)}),
      nn::ReLU()};
}

inline nn::Sequential MLPResNet(
    int64_t dim, int64_t hiddenDim = 100, int64_t numBlocks = 3, int64_t numClasses = 10,
    const nn::LayerFactory &norm = nn::layer<nn::BatchNorm1d>(), double dropProb = 0.1) {
  std::vector<nn::ModuleRef> layers;
  layers.push_back(nn::Linear(dim, hiddenDim));
  layers.push_back(nn::ReLU());
  for (int64_t i = 0; i < numBlocks; ++i)
    layers.push_back(ResidualBlock(hiddenDim, hiddenDim / 2, norm, dropProb));
  layers.push_back(nn::Linear(hiddenDim, numClasses));
  return nn::Sequential(std::move(layers));
}

} // namespace needle::examples

#endif // NEEDLE_EXAMPLES_MLP_RESNET_H
