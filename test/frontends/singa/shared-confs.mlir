// The real SINGA v0.3 job files (../shared/singa-confs, unchanged) and the
// project's examples compile; key facts of their IR.

// RUN: stratac %shared/singa-confs/mnist-mlp.conf | FileCheck %s --check-prefix=MNIST
// MNIST: strata.alg = {alg = "bp"
// MNIST-SAME: strata.updater = {{{.*}}learning_rate = {base_lr = 0.0010000000474974513 : f64, {{.*}}, step_change_freq = 60 : i64, step_gamma = 0.99699997901916503 : f64, type = "step"}, {{.*}}, type = "sgd"
// MNIST: strata.parameter @w1 : tensor<2500x784xf32> {init = #strata.init<kind = uniform, low = -0.05000000074505806, high = 0.05000000074505806>}
// MNIST: strata.parameter @w6 : tensor<10x500xf32>
// MNIST-LABEL: func.func @train() -> (tensor<f32> {strata.loss, strata.name = "loss.loss"}, tensor<f32> {strata.name = "loss.accuracy"})
// MNIST: strata.data_input "data" {{.*}}mean_value = 1.275000e+02 : f64, path = "examples/mnist/train_data.bin"{{.*}}random_skip = 5000 : i64{{.*}}std_value = 1.275000e+02 : f64}} : tensor<64x784xf32>, tensor<64xi32>
// MNIST-COUNT-5: strata.stanh
// MNIST: strata.inner_product {{.*}}strata.layer = "fc6"{{.*}} -> tensor<64x10xf32>
// MNIST: strata.softmax_cross_entropy
// MNIST-LABEL: func.func @test()
// MNIST: strata.data_input "data" {{.*}}path = "examples/mnist/test_data.bin"{{.*}} : tensor<100x784xf32>, tensor<100xi32>

// RUN: stratac %shared/singa-confs/cifar10-cnn.conf | FileCheck %s --check-prefix=CIFAR
// CIFAR: strata.updater = {{{.*}}learning_rate = {{{.*}}fixed_step_lrs = array<f64: 0.0010000000474974513, 9.9999997473787516E-5, 9.9999997473787516E-6>, fixed_steps = array<i64: 0, 60000, 65000>, {{.*}}type = "fixed_step"}, momentum = 0.89999997615814208 : f64, {{.*}}type = "sgd", weight_decay = 0.0040000001899898052 : f64}
// CIFAR: strata.parameter @w1 : tensor<32x3x5x5xf32> {init = #strata.init<kind = gaussian, std = 9.9999997473787516E-5>}
// CIFAR: strata.parameter @b1 : tensor<32xf32> {init = #strata.init<kind = constant, value = 0.000000e+00>, lr_scale = 2.000000e+00 : f64}
// CIFAR: strata.parameter @w4 : tensor<10x1024xf32> {{.*}}wd_scale = 2.500000e+02 : f64}
// CIFAR: strata.parameter @b4 : tensor<10xf32> {{.*}}lr_scale = 2.000000e+00 : f64, wd_scale = 0.000000e+00 : f64}
// CIFAR-LABEL: func.func @train()
// CIFAR: strata.data_input "data" {{.*}}mean_file = "examples/cifar10/image_mean.bin"{{.*}}path = "examples/cifar10/train_data.bin"{{.*}} : tensor<100x3x32x32xf32>, tensor<100xi32>
// CIFAR: strata.conv {{.*}}strata.layer = "conv1"{{.*}} -> tensor<100x32x32x32xf32>
// kCPooling rounds up: 32 -> 16 -> 8 -> 4.
// CIFAR: strata.max_pool {{.*}}ceil_mode = true, kernel_shape = array<i64: 3, 3>{{.*}}strata.layer = "pool1"{{.*}}strides = array<i64: 2, 2>} : (tensor<100x32x32x32xf32>) -> tensor<100x32x16x16xf32>
// CIFAR: strata.relu {{.*}}strata.layer = "relu1"
// CIFAR: strata.lrn {{.*}}{alpha = 4.9999998736893758E-5 : f64, size = 3 : i64, strata.layer = "norm1"
// CIFAR: strata.conv {{.*}}strata.layer = "conv2"{{.*}} -> tensor<100x32x16x16xf32>
// CIFAR: strata.avg_pool {{.*}}strata.layer = "pool2"{{.*}} : (tensor<100x32x16x16xf32>) -> tensor<100x32x8x8xf32>
// CIFAR: strata.conv {{.*}}strata.layer = "conv3"{{.*}} -> tensor<100x64x8x8xf32>
// CIFAR: strata.avg_pool {{.*}}strata.layer = "pool3"{{.*}} : (tensor<100x64x8x8xf32>) -> tensor<100x64x4x4xf32>
// CIFAR: strata.reshape {{.*}}strata.layer = "ip1"{{.*}} -> tensor<100x1024xf32>
// CIFAR: strata.inner_product {{.*}}strata.layer = "ip1"{{.*}} -> tensor<100x10xf32>
// CIFAR: strata.softmax_cross_entropy
// CIFAR-LABEL: func.func @test()
// CIFAR: strata.data_input "data" {{.*}}path = "examples/cifar10/test_data.bin"

// RUN: stratac %shared/singa-confs/char-rnn-gru.conf | FileCheck %s --check-prefix=CHARRNN
// CHARRNN: strata.alg = {alg = "bptt", cd_k = 1 : i64, unroll_len = 50 : i64}
// CHARRNN-SAME: strata.updater = {{{.*}}clip_high = 5.000000e+00 : f64, clip_low = -5.000000e+00 : f64, {{.*}}learning_rate = {base_lr = 0.0020000000949949026 : f64, {{.*}}step_change_freq = 2000 : i64, step_gamma = 0.97000002861022949 : f64, type = "step"}, {{.*}}rho = 0.94999998807907104 : f64, type = "rmsprop"
// CHARRNN: strata.parameter @z_hx : tensor<512x101xf32> {init = #strata.init<kind = uniform, low = -0.079999998211860657, high = 0.079999998211860657>}
// CHARRNN: strata.parameter @c_b : tensor<512xf32>
// CHARRNN: strata.parameter @w : tensor<101x512xf32>
// CHARRNN-LABEL: func.func @train() -> (tensor<f32> {strata.loss, strata.name = "loss[0].loss"},
// CHARRNN-SAME: {strata.loss, strata.name = "loss[49].loss"}, tensor<f32> {strata.name = "loss[0].accuracy"},
// CHARRNN-SAME: {strata.name = "loss[49].accuracy"})
// CHARRNN: strata.data_input "data" {strata.layer = "data", strata.source = {batchsize = 50 : i64, kind = "char_rnn", path = "examples/char-rnn/linux_input.txt", unroll_len = 50 : i64, vocab_path = "examples/char-rnn/vocab.txt"}} : tensor<51x50xi32>
// CHARRNN-COUNT-50: strata.one_hot {{.*}} -> tensor<50x101xf32>
// CHARRNN-COUNT-50: strata.gru_cell {{.*}}{linear_before_reset = true, strata.layer = "gru1"{{.*}} : (tensor<50x101xf32>, tensor<50x512xf32>, tensor<1536x101xf32>, tensor<1536x512xf32>, tensor<3072xf32>) -> tensor<50x512xf32>
// CHARRNN-NOT: strata.gru_cell
// CHARRNN-COUNT-50: strata.softmax_cross_entropy
// CHARRNN-NOT: func.func @test

// RUN: stratac %strata_src/examples/singa/autoencoder.conf | FileCheck %s --check-prefix=AE
// AE: type = "ada_grad"
// AE: strata.parameter @w3 : tensor<30x250xf32>
// The decoder uses the encoder's weights transposed.
// AE: strata.parameter @w3_t : tensor<30x250xf32> {{.*}}share_from = @w3}
// AE: strata.parameter @w1_t : tensor<500x784xf32> {{.*}}share_from = @w1}
// AE-LABEL: func.func @train() -> (tensor<f32> {strata.loss, strata.name = "loss.loss"})
// AE: strata.inner_product {{.*}}strata.layer = "dec1"{{.*}}transpose = true} : (tensor<100x500xf32>, tensor<500x784xf32>, tensor<784xf32>) -> tensor<100x784xf32>
// AE: strata.euclidean_loss {{.*}} : (tensor<100x784xf32>, tensor<100x784xf32>) -> tensor<f32>

// RUN: stratac %strata_src/examples/singa/char-rnn-gru.conf | FileCheck %s --check-prefix=EXRNN
// EXRNN: strata.alg = {alg = "bptt", cd_k = 1 : i64, unroll_len = 20 : i64}
// EXRNN: strata.data_input "data" {{.*}} : tensor<21x32xi32>
// EXRNN-COUNT-20: strata.gru_cell {{.*}} -> tensor<32x128xf32>
// EXRNN-NOT: strata.gru_cell

// RUN: stratac %strata_src/examples/singa/cnn-hybrid.conf | FileCheck %s --check-prefix=HYBRID
// HYBRID: strata.cluster = {{{.*}}nworker_groups = 1 : i64, nworkers_per_group = 2 : i64, nworkers_per_procs = 2 : i64
// HYBRID-LABEL: func.func @train()
// Convolutions split the batch, the fully-connected layers the features.
// HYBRID: strata.conv {{.*}}strata.layer = "conv1", strata.partition_dim = 0 : i64{{.*}} -> tensor<128x32x28x28xf32>
// HYBRID: strata.max_pool {{.*}}strata.layer = "pool2", strata.partition_dim = 0 : i64{{.*}} -> tensor<128x64x7x7xf32>
// HYBRID: strata.inner_product {{.*}}strata.layer = "fc1", strata.partition_dim = 1 : i64{{.*}} -> tensor<128x1024xf32>
// HYBRID: strata.softmax_cross_entropy {{.*}}strata.layer = "loss", strata.partition_dim = 0 : i64

// RUN: stratac %strata_src/examples/singa/fashion-mnist-cnn.conf | FileCheck %s --check-prefix=FCNN
// FCNN: strata.parameter @conv1_w : tensor<32x1x3x3xf32> {init = #strata.init<kind = gaussian_sqrt_fan_in, std = 1.4099999666213989>}
// FCNN: strata.parameter @fc1_w : tensor<256x3136xf32> {init = #strata.init<kind = uniform_sqrt_fan_in_out>}
// FCNN-LABEL: func.func @train(%arg0: tensor<2xi64> {strata.name = "rng", strata.rng}) -> (tensor<f32> {strata.loss, strata.name = "loss.loss"}, tensor<f32> {strata.name = "loss.accuracy"}, tensor<2xi64> {strata.name = "rng", strata.rng})
// FCNN: strata.dropout {{.*}}, %arg0 {strata.layer = "drop"
// FCNN-LABEL: func.func @test() -> (tensor<f32> {strata.loss, strata.name = "loss.loss"}, tensor<f32> {strata.name = "loss.accuracy"})
// FCNN-NOT: strata.dropout

// RUN: stratac %strata_src/examples/singa/fashion-mnist-mlp.conf | FileCheck %s --check-prefix=FMLP
// FMLP: learning_rate = {base_lr = 0.05000000074505806 : f64, {{.*}}step_change_freq = 2000 : i64, step_gamma = 5.000000e-01 : f64, type = "step"}, momentum = 0.89999997615814208 : f64
// FMLP: strata.parameter @b1 : tensor<512xf32> {init = #strata.init<kind = constant, value = 0.000000e+00>, wd_scale = 0.000000e+00 : f64}
// FMLP: strata.inner_product {{.*}}strata.layer = "fc3"{{.*}} -> tensor<64x10xf32>

// RUN: stratac %strata_src/examples/singa/rbm.conf | FileCheck %s --check-prefix=RBM
// RBM: strata.alg = {alg = "cd", cd_k = 1 : i64
// RBM: strata.parameter @w1 : tensor<500x784xf32>
// RBM: strata.parameter @w1_ : tensor<500x784xf32> {{.*}}share_from = @w1}
// RBM-LABEL: func.func @train(%arg0: tensor<2xi64> {strata.name = "rng", strata.rng}) -> (tensor<100x784xf32> {strata.name = "RBMVis.visible"}, tensor<100x500xf32> {strata.name = "RBMHid.hidden"}, tensor<2xi64> {strata.name = "rng", strata.rng})
// RBM-SAME: strata.rbm = [{gaussian = false, hidden = 1 : i64, hidden_bias = @b12, hidden_layer = "RBMHid", hidden_weight = @w1_, visible = 0 : i64, visible_bias = @b11, visible_layer = "RBMVis", weight = @w1}]
// RBM: strata.inner_product {{.*}}strata.layer = "RBMHid"{{.*}} -> tensor<100x500xf32>
// RBM: strata.sigmoid {{.*}}strata.layer = "RBMHid"
