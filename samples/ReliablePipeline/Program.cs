using ReliablePipeline;

DemoOptions options;
try
{
    options = DemoOptions.Parse(args);
}
catch (ArgumentException bad)
{
    Console.Error.WriteLine(bad.Message);
    Console.Error.WriteLine(DemoOptions.Usage);
    return 2;
}

var result = await PipelineDemo.RunAsync(options, Console.Out);
return result.ExitCode;
