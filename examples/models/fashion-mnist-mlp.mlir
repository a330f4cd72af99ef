// The built-in example: a multi-layer perceptron for Fashion-MNIST (28x28
// grey images, 10 classes), in strata IR. Two hidden layers of SINGA's scaled
// tanh, a softmax cross-entropy loss and top-1 accuracy. The train and test
// phases share the parameters; the batch is dynamic.
//
// Later stages compile this from a SINGA job.conf (examples/*.conf) and train
// it; today `stratac` verifies it, infers shapes and canonicalizes it, and
// `strata-reference` runs a phase on random data.

strata.parameter @fc1_w : tensor<256x784xf32> {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
strata.parameter @fc1_b : tensor<256xf32> {init = #strata.init<kind = constant, value = 0.0>, wd_scale = 0.0}
strata.parameter @fc2_w : tensor<128x256xf32> {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
strata.parameter @fc2_b : tensor<128xf32> {init = #strata.init<kind = constant, value = 0.0>, wd_scale = 0.0}
strata.parameter @fc3_w : tensor<10x128xf32> {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
strata.parameter @fc3_b : tensor<10xf32> {init = #strata.init<kind = constant, value = 0.0>, wd_scale = 0.0}

// Pixels in [0, 255] are scaled to [-1, 1] as SINGA's mean_value / std_value
// of 127.5 do.
func.func private @classifier(%pixels: tensor<?x784xf32>) -> tensor<?x10xf32> {
  %scale = strata.constant dense<127.5> : tensor<f32>
  %centered = strata.sub %pixels, %scale : (tensor<?x784xf32>, tensor<f32>) -> tensor<?x784xf32>
  %x = strata.div %centered, %scale : (tensor<?x784xf32>, tensor<f32>) -> tensor<?x784xf32>
  %w1 = strata.param_value @fc1_w : tensor<256x784xf32>
  %b1 = strata.param_value @fc1_b : tensor<256xf32>
  %fc1 = strata.inner_product %x, %w1, %b1 : (tensor<?x784xf32>, tensor<256x784xf32>, tensor<256xf32>) -> tensor<?x?xf32>
  %h1 = strata.stanh %fc1 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %w2 = strata.param_value @fc2_w : tensor<128x256xf32>
  %b2 = strata.param_value @fc2_b : tensor<128xf32>
  %fc2 = strata.inner_product %h1, %w2, %b2 : (tensor<?x?xf32>, tensor<128x256xf32>, tensor<128xf32>) -> tensor<?x?xf32>
  %h2 = strata.stanh %fc2 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %w3 = strata.param_value @fc3_w : tensor<10x128xf32>
  %b3 = strata.param_value @fc3_b : tensor<10xf32>
  %logits = strata.inner_product %h2, %w3, %b3 : (tensor<?x?xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %logits : tensor<?x10xf32>
}

func.func @train() -> (tensor<f32>, tensor<f32>) attributes {strata.phase = #strata.phase<train>} {
  %pixels, %labels = strata.data_input "train" : tensor<?x784xf32>, tensor<?xi32>
  %logits = func.call @classifier(%pixels) : (tensor<?x784xf32>) -> tensor<?x10xf32>
  %loss = strata.softmax_cross_entropy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  %accuracy = strata.accuracy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  return %loss, %accuracy : tensor<f32>, tensor<f32>
}

func.func @test() -> (tensor<f32>, tensor<f32>) attributes {strata.phase = #strata.phase<test>} {
  %pixels, %labels = strata.data_input "test" : tensor<?x784xf32>, tensor<?xi32>
  %logits = func.call @classifier(%pixels) : (tensor<?x784xf32>) -> tensor<?x10xf32>
  %loss = strata.softmax_cross_entropy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  %accuracy = strata.accuracy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  return %loss, %accuracy : tensor<f32>, tensor<f32>
}
