using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Companion.Networks.ImageClassification;

/// <summary>One stage of a traced forward pass: its name, output shape and number of parameters.</summary>
/// <param name="Name">e.g. "layer2.0 (BasicBlock, stride 2)".</param>
/// <param name="OutputShape">Output shape without the batch dimension, e.g. [128, 16, 16].</param>
/// <param name="Parameters">Trainable parameters of the stage.</param>
public sealed record LayerTrace(string Name, long[] OutputShape, long Parameters);

/// <summary>
/// The residual block of He et al. 2016 ("BasicBlock"): conv3×3 → BN → ReLU → conv3×3 → BN, plus the input (through a
/// 1×1 convolution and BN when the stride or the channel count changes), then ReLU.
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? shortcut;

    public BasicBlock(string name, long inChannels, long outChannels, long stride) : base(name)
    {
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            shortcut = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), BatchNorm2d(outChannels));
        }
        Stride = stride;
        RegisterComponents();
    }

    /// <summary>Stride of the first convolution (2 halves the spatial size).</summary>
    public long Stride { get; }

    public override Tensor forward(Tensor x)
    {
        using var a = functional.relu(bn1.forward(conv1.forward(x)));
        using var b = bn2.forward(conv2.forward(a));
        using var s = shortcut is null ? x.alias() : shortcut.forward(x);
        using var sum = b + s;
        return functional.relu(sum);
    }
}

/// <summary>
/// ResNet18 for 32×32 images as in CS189 HW7 Question 4(c) (the CIFAR-10 variant, K. Liu's pytorch-cifar): a 3×3
/// stem convolution with 64 channels, four stages of two <see cref="BasicBlock"/>s with 64, 128, 256, 512 channels
/// (stride 2 at the start of stages 2–4, so 32 → 16 → 8 → 4), 4×4 average pooling and a linear layer to the classes:
/// 1 + 16 + 1 = 18 weight layers, about 11.2 million parameters.
/// </summary>
public sealed class ResNet18 : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ModuleList<BasicBlock> blocks;
    private readonly Linear linear;

    public ResNet18(int classes = 10) : base(nameof(ResNet18))
    {
        conv1 = Conv2d(3, 64, 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(64);
        blocks = new ModuleList<BasicBlock>();
        long inC = 64;
        foreach (var (c, stride, stage) in new[] { (64L, 1L, 1), (128L, 2L, 2), (256L, 2L, 3), (512L, 2L, 4) })
        {
            blocks.Add(new BasicBlock($"layer{stage}.0", inC, c, stride));
            blocks.Add(new BasicBlock($"layer{stage}.1", c, c, 1));
            inC = c;
        }
        linear = Linear(512, classes);
        RegisterComponents();
    }

    /// <summary>Logits (N, classes) for images (N, 3, 32, 32).</summary>
    public override Tensor forward(Tensor x) => Run(x, null);

    /// <summary>
    /// Runs one image batch through the network and records every stage's output shape and parameter count: the data
    /// of the architecture diagram the homework asks for, generated from the model itself.
    /// </summary>
    public IReadOnlyList<LayerTrace> Trace(long height = 32, long width = 32)
    {
        var trace = new List<LayerTrace> { new("input", [3, height, width], 0) };
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool wasTraining = training;
        eval();
        Run(zeros(1, 3, height, width), trace);
        if (wasTraining)
        {
            train();
        }
        return trace;
    }

    private Tensor Run(Tensor x, List<LayerTrace>? trace)
    {
        static long Count(Module m) => m.parameters().Sum(p => p.numel());
        var h = functional.relu(bn1.forward(conv1.forward(x)));
        trace?.Add(new("conv1 3×3 + BN + ReLU", h.shape[1..], Count(conv1) + Count(bn1)));
        for (int i = 0; i < blocks.Count; i++)
        {
            var next = blocks[i].forward(h);
            h.Dispose();
            h = next;
            trace?.Add(new($"{blocks[i].GetName()} BasicBlock{(blocks[i].Stride != 1 ? ", stride 2" : "")}", h.shape[1..], Count(blocks[i])));
        }
        using var pooled = functional.avg_pool2d(h, 4);
        h.Dispose();
        using var flat = pooled.flatten(1);
        trace?.Add(new("avg_pool 4×4 + flatten", flat.shape[1..], 0));
        var logits = linear.forward(flat);
        trace?.Add(new("linear", logits.shape[1..], Count(linear)));
        return logits;
    }
}
