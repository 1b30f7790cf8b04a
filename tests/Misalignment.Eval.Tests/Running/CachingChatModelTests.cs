using Misalignment.Eval.Running;
using Misalignment.Eval.Tests.Fakes;

namespace Misalignment.Eval.Tests.Running;

public class CachingChatModelTests : RunnerTestBase
{
    [Fact]
    public async Task RespondAsync_SameSampleTwice_IsServedFromCacheButOtherSamplesAreFreshDraws()
    {
        var inner = new FakeChatModel("fake:m", (request, call, _) => Task.FromResult(new ModelResponse { Text = $"answer {call} for sample {request.SampleIndex}" }));
        var cache = new FileDistributedCache(Path.Combine(Path.GetDirectoryName(StorePath)!, "cache"));
        var model = new CachingChatModel(inner, cache, "temperature=1");
        var prompt = Catalog.Render(TwoConditions[0]);

        var first = await model.RespondAsync(new ModelRequest { Prompt = prompt, SampleIndex = 1 });
        var again = await new CachingChatModel(inner, cache, "temperature=1").RespondAsync(new ModelRequest { Prompt = prompt, SampleIndex = 1 });
        var second = await model.RespondAsync(new ModelRequest { Prompt = prompt, SampleIndex = 2 });
        var otherSettings = await new CachingChatModel(inner, cache, "temperature=0").RespondAsync(new ModelRequest { Prompt = prompt, SampleIndex = 1 });

        again.Text.Should().Be(first.Text).And.Be("answer 1 for sample 1");
        second.Text.Should().Be("answer 2 for sample 2");
        otherSettings.Text.Should().Be("answer 3 for sample 1");
        inner.Calls.Should().Be(3);
    }

    [Fact]
    public async Task RespondAsync_Failure_IsNeverCached()
    {
        var inner = new FakeChatModel("fake:m", (_, call, _) => call == 1 ? throw new HttpRequestException("boom") : Task.FromResult(new ModelResponse { Text = "fine" }));
        var model = new CachingChatModel(inner, new FileDistributedCache(Path.Combine(Path.GetDirectoryName(StorePath)!, "cache")));
        var request = new ModelRequest { Prompt = Catalog.Render(TwoConditions[1]), SampleIndex = 1 };

        await model.Invoking(m => m.RespondAsync(request)).Should().ThrowAsync<HttpRequestException>();
        (await model.RespondAsync(request)).Text.Should().Be("fine");
        (await model.RespondAsync(request)).Text.Should().Be("fine");

        inner.Calls.Should().Be(2);
        model.Hits.Should().Be(1);
    }
}
