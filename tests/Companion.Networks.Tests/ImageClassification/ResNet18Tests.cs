using Companion.Networks.ImageClassification;
using static TorchSharp.torch;

namespace Companion.Networks.Tests.ImageClassification;

public class ResNet18Tests
{
    [Fact]
    public void Trace_has_the_CIFAR_ResNet18_shapes_and_parameter_count()
    {
        random.manual_seed(0);
        using var model = new ResNet18();
        var trace = model.Trace();
        Assert.Equal([64L, 32, 32], trace[1].OutputShape);
        Assert.Equal([64L, 32, 32], trace.Single(t => t.Name.StartsWith("layer1.1", StringComparison.Ordinal)).OutputShape);
        Assert.Equal([128L, 16, 16], trace.Single(t => t.Name.StartsWith("layer2.0", StringComparison.Ordinal)).OutputShape);
        Assert.Equal([256L, 8, 8], trace.Single(t => t.Name.StartsWith("layer3.1", StringComparison.Ordinal)).OutputShape);
        Assert.Equal([512L, 4, 4], trace.Single(t => t.Name.StartsWith("layer4.1", StringComparison.Ordinal)).OutputShape);
        Assert.Equal([10L], trace[^1].OutputShape);
        long total = model.parameters().Sum(p => p.numel());
        Assert.Equal(total, trace.Sum(t => t.Parameters));
        Assert.Equal(11_173_962, total);   // K. Liu's pytorch-cifar ResNet18 (torchsummary)
        Assert.Contains("<svg", ArchitectureDiagram.ToSvg(trace, "ResNet18"), StringComparison.Ordinal);
    }

    [Fact]
    public void Forward_gives_logits_for_a_batch()
    {
        random.manual_seed(1);
        using var model = new ResNet18();
        using var x = randn(2, 3, 32, 32);
        using var y = model.forward(x);
        Assert.Equal([2L, 10], y.shape);
    }
}
