// RunConfig: what `misalign run --config experiment.yaml` does, through the library alone: load the experiment,
// resolve its models, run it into a result store with resume, classify, write the reports and apply the gate.
using Misalignment.Eval;
using Misalignment.Eval.Running;

var spec = ExperimentSpec.Load(Path.Combine(AppContext.BaseDirectory, "experiment.yaml"))
    with { OutputDirectory = Path.Combine(Path.GetTempPath(), "misalign-run-config-" + Guid.NewGuid().ToString("N")) };
var session = new ExperimentSession(spec, new ExperimentSessionOptions
{
    Models = new ModelResolver().AddDemoAgents(),   // add your providers here: .Add("openai", spec => ...)
    Log = message => Console.Error.WriteLine(message),
});

ExperimentResult result = await session.RunAsync();

Console.WriteLine($"{result.Summary.Written} samples in {result.StorePath}");
foreach (var model in result.Aggregation.By(RollUp.All))
{
    Console.WriteLine($"{model.Model}: harmful {model.Estimate}");
}

Console.WriteLine(string.Join(Environment.NewLine, result.Reports));
foreach (var verdict in result.Gate(threshold: 0.05).Models)
{
    Console.WriteLine($"gate: {verdict}");
}
