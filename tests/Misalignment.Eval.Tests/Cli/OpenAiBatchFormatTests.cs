using System.Text;
using Misalignment.Eval.Cli.Providers;

namespace Misalignment.Eval.Tests.Cli;

public sealed class OpenAiBatchFormatTests
{
    [Fact]
    public void ResultLines_ALineThatIsNotJson_CostsOnlyItsOwnRequest_EveryOtherAnswerIsKept()
    {
        string file = string.Join('\n',
            """{"id":"r1","custom_id":"s-1","response":{"status_code":200,"request_id":"q1","body":{"id":"c1"}},"error":null}""",
            """{"id":"r2","custom_id":"s-2","response":{"status_code":200,"req""",
            """{"id":"r3","custom_id":"s-3","response":{"status_code":429,"request_id":"q3","body":{"error":{"message":"slow down"}}},"error":null}""",
            "");

        var results = OpenAiBatchFormat.ResultLines(Encoding.UTF8.GetBytes(file)).ToList();

        results.Select(r => (r.CustomId, r.StatusCode)).Should().Equal(("s-1", 200), ("s-3", 429));
        Encoding.UTF8.GetString(results[0].Body.Span).Should().Be("""{"id":"c1"}""");
    }
}
