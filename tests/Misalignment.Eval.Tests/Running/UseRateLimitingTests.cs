using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

/// <summary>The extension points a host composes: rate limiting in a ChatClientBuilder pipeline, validated DI options.</summary>
public class UseRateLimitingTests
{
    [Fact]
    public async Task UseRateLimiting_ThirtyPerMinute_SpacesTheSecondCallTwoSeconds()
    {
        var time = new FakeTimeProvider();
        using var client = new ChatClientBuilder(ScriptedChatClient.Always("ok")).UseRateLimiting(requestsPerMinute: 30, timeProvider: time).Build();

        await client.GetResponseAsync("first");
        var second = client.GetResponseAsync("second");
        second.IsCompleted.Should().BeFalse("the budget grants one call every two seconds");
        time.Advance(TimeSpan.FromSeconds(2));

        (await second).Text.Should().Be("ok");
    }

    [Fact]
    public void AddMisalignmentEval_OptionsOutOfRange_FailValidationNamingEverySetting()
    {
        using var services = new ServiceCollection()
            .AddMisalignmentEval(o =>
            {
                o.SamplesPerCondition = 0;
                o.Concurrency = 0;
            })
            .BuildServiceProvider();

        var resolve = () => services.GetRequiredService<IOptions<MisalignmentEvalOptions>>().Value;

        resolve.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("SamplesPerCondition", StringComparison.Ordinal)).And.Contain(f => f.Contains("Concurrency", StringComparison.Ordinal));
    }
}
