using Companion.Autoregressive;

namespace Companion.Tests.Autoregressive;

public class ReceptiveFieldTests
{
    // Receptive fields of pixel 33 on the 5×5 map, worked out by hand from the mask definitions (homework Q2 figures):
    // layer 2 sees layer-1 pixels {22, 23, 24, 32} (A) or {22, 23, 24, 32, 33} (B); each of those sees its own
    // A- or B-neighbourhood of the input. Rows are the homework's rows 1..5, columns 1..5.
    private static readonly int[,] ExpectedAA =
    {
        { 1, 1, 1, 1, 1 },
        { 1, 1, 1, 0, 0 },
        { 1, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
    };

    private static readonly int[,] ExpectedAB =
    {
        { 1, 1, 1, 1, 1 },
        { 1, 1, 1, 1, 0 },
        { 1, 1, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
    };

    private static readonly int[,] ExpectedBA = ExpectedAB;

    private static readonly int[,] ExpectedBB =
    {
        { 1, 1, 1, 1, 1 },
        { 1, 1, 1, 1, 0 },
        { 1, 1, 1, 0, 0 },
        { 0, 0, 0, 0, 0 },
        { 0, 0, 0, 0, 0 },
    };

    public static TheoryData<MaskType, MaskType> Combinations => new()
    {
        { MaskType.A, MaskType.A }, { MaskType.A, MaskType.B }, { MaskType.B, MaskType.A }, { MaskType.B, MaskType.B },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Mask_composition_gives_the_hand_derived_field_of_pixel_33(MaskType first, MaskType second)
    {
        var (r, c) = ReceptiveField.FromLabel(33);
        var field = ReceptiveField.ByMaskComposition([first, second], 5, 5, r, c);
        AssertGrid(Expected(first, second), field);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Gradient_support_gives_the_hand_derived_field_of_pixel_33(MaskType first, MaskType second)
    {
        var field = ReceptiveField.Support(ReceptiveField.GradientMagnitude([first, second], 5, 5, 2, 2, draws: 3, seed: 11));
        AssertGrid(Expected(first, second), field);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Both_ways_agree_for_every_output_pixel(MaskType first, MaskType second)
    {
        for (int r = 0; r < 5; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                var byMasks = ReceptiveField.ByMaskComposition([first, second], 5, 5, r, c);
                var byGradient = ReceptiveField.Support(ReceptiveField.GradientMagnitude([first, second], 5, 5, r, c, draws: 2, seed: (10 * r) + c));
                Assert.Equal(byMasks, byGradient);
            }
        }
    }

    [Fact]
    public void Both_ways_agree_for_a_deeper_stack_on_a_wider_map()
    {
        MaskType[] layers = [MaskType.A, MaskType.B, MaskType.B, MaskType.B];
        var byMasks = ReceptiveField.ByMaskComposition(layers, 7, 9, 5, 4);
        var byGradient = ReceptiveField.Support(ReceptiveField.GradientMagnitude(layers, 7, 9, 5, 4, draws: 2, seed: 5));
        Assert.Equal(byMasks, byGradient);
        Assert.NotEmpty(ReceptiveField.BlindSpot(byMasks, 5, 4));
    }

    [Fact]
    public void B_B_has_a_blind_spot_at_pixel_25()
    {
        var field = ReceptiveField.ByMaskComposition([MaskType.B, MaskType.B], 5, 5, 2, 2);
        Assert.Equal([ReceptiveField.FromLabel(25)], ReceptiveField.BlindSpot(field, 2, 2));
        Assert.Equal(["11", "12", "13", "14", "15", "21", "22", "23", "24", "31", "32", "33"], ReceptiveField.Labels(field));
        Assert.True(field[2, 2], "with B in both layers pixel 33 sees itself");
    }

    [Fact]
    public void A_A_misses_24_25_and_32_and_does_not_see_33()
    {
        var field = ReceptiveField.ByMaskComposition([MaskType.A, MaskType.A], 5, 5, 2, 2);
        var blind = ReceptiveField.BlindSpot(field, 2, 2).Select(p => ReceptiveField.Label(p.Row, p.Col));
        Assert.Equal(["24", "25", "32"], blind);
        Assert.False(field[2, 2]);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 3)]
    [InlineData(4, 6)]
    [InlineData(5, 10)]
    public void Blind_spot_of_a_deep_stack_is_a_triangle_of_L_choose_2_pixels(int layers, int expected)
    {
        // Mask A then B: row r − k is reached up to column c + k, so within reach L the blind spot has
        // (L − 1) + (L − 2) + … + 1 = L(L − 1)/2 pixels up and to the right of the target.
        var types = Enumerable.Repeat(MaskType.B, layers).ToArray();
        types[0] = MaskType.A;
        var field = ReceptiveField.ByMaskComposition(types, 11, 11, 5, 5);
        var blind = ReceptiveField.BlindSpot(field, 5, 5, radius: layers);
        Assert.Equal(expected, blind.Count);
        Assert.All(blind, p => Assert.True(p.Row < 5 && p.Col > 5 + (5 - p.Row), $"({p.Row},{p.Col}) is not beyond the diagonal up-right of the target"));
        var picture = ReceptiveField.Picture(field, 5, 5, layers);
        Assert.Equal(expected, picture.Cast<double>().Count(v => v == -1));
        Assert.Equal(ReceptiveField.Size(field), picture.Cast<double>().Count(v => v == 1));
    }

    [Fact]
    public void One_layer_of_mask_A_sees_exactly_its_mask_window()
    {
        var field = ReceptiveField.ByMaskComposition([MaskType.A], 5, 5, 2, 2);
        Assert.Equal(4, ReceptiveField.Size(field));
        Assert.Empty(ReceptiveField.BlindSpot(ReceptiveField.ByMaskComposition([MaskType.A], 5, 5, 0, 1), 0, 1));
    }

    [Fact]
    public void Labels_round_trip_and_bad_labels_are_rejected()
    {
        Assert.Equal((2, 2), ReceptiveField.FromLabel(33));
        Assert.Equal("25", ReceptiveField.Label(1, 4));
        var labels = ReceptiveField.PixelLabels(5, 5);
        Assert.Equal("11", labels[0, 0]);
        Assert.Equal("53", labels[4, 2]);
        Assert.Throws<ArgumentException>(() => ReceptiveField.FromLabel(30));
        var e = Assert.Throws<ArgumentException>(() => ReceptiveField.ByMaskComposition([MaskType.A], 5, 5, 5, 0));
        Assert.Contains("outside", e.Message);
    }

    private static int[,] Expected(MaskType first, MaskType second) => (first, second) switch
    {
        (MaskType.A, MaskType.A) => ExpectedAA,
        (MaskType.A, MaskType.B) => ExpectedAB,
        (MaskType.B, MaskType.A) => ExpectedBA,
        _ => ExpectedBB,
    };

    private static void AssertGrid(int[,] expected, bool[,] actual)
    {
        for (int r = 0; r < 5; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                Assert.True(expected[r, c] == 1 == actual[r, c], $"pixel {ReceptiveField.Label(r, c)}: expected {expected[r, c]}, got {actual[r, c]}");
            }
        }
    }
}
