using KafkaAnalyzers.Model;
using Microsoft.CodeAnalysis.Operations;

namespace KafkaAnalyzers.Tests.Model.Flow;

/// <summary>Loop questions (Model/Flow/Loops) asked directly.</summary>
public class LoopsTests
{
    private const string Prelude = """
        using System;
        using System.Linq;
        using System.Threading.Tasks;

        static class Work { public static void Step() { } public static bool Done() => true; }

        """;

    [Fact]
    public void Innermost_loop_stops_at_lambdas()
    {
        var harness = FlowHarness.Create(Prelude + """
            class Service
            {
                void Run(int[] items)
                {
                    foreach (var item in items)
                    {
                        for (var i = 0; i < item; i++)
                        {
                            Work.Step();
                        }

                        Array.ForEach(items, _ => Work.Step());
                    }
                }
            }
            """);
        var steps = harness.Calls("Run", "Step");
        Assert.IsAssignableFrom<IForLoopOperation>(Loops.Innermost(steps[0]));
        Assert.Null(Loops.Innermost(steps[1]));
        var outer = Assert.IsAssignableFrom<IForEachLoopOperation>(Loops.Innermost(Loops.Innermost(steps[0])!));
        Assert.True(Loops.Contains(outer, steps[0]));
        Assert.False(Loops.Contains(outer, steps[1]));
    }

    [Fact]
    public void Break_or_return_is_leaving_early_but_a_nested_loop_break_is_not()
    {
        var harness = FlowHarness.Create(Prelude + """
            class Service
            {
                void Run(int[] items)
                {
                    while (true)
                    {
                        Work.Step();
                        if (Work.Done())
                        {
                            break;
                        }
                    }

                    foreach (var item in items)
                    {
                        Work.Step();
                        for (var i = 0; i < item; i++)
                        {
                            if (Work.Done())
                            {
                                break;
                            }
                        }
                    }

                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        Work.Step();
                        return;
                    }
                }
            }
            """);
        var steps = harness.Calls("Run", "Step");
        Assert.True(Loops.LeavesEarly(Loops.Innermost(steps[0])!));
        Assert.False(Loops.LeavesEarly(Loops.Innermost(steps[1])!));
        Assert.True(Loops.LeavesEarly(Loops.Innermost(steps[2])!));
    }
}
