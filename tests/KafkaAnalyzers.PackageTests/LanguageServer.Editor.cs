using System.Diagnostics;
using System.Text.Json.Nodes;

namespace KafkaAnalyzers.PackageTests;

/// <summary>The requests an editor sends: initialize a workspace, open documents, pull their diagnostics.</summary>
internal sealed partial class LanguageServer
{
    /// <summary>
    /// <c>initialize</c> on <paramref name="rootDirectory"/> (csharp-ls loads the solution or projects below it),
    /// then <c>initialized</c> and the <c>csharp</c> settings with analyzers on; returns the server's capabilities.
    /// </summary>
    public async Task<JsonNode?> InitializeAsync(string rootDirectory, TimeSpan timeout)
    {
        var initialized = await RequestAsync("initialize", InitializeParams(rootDirectory), timeout).ConfigureAwait(false);
        Notify("initialized", new JsonObject());
        Notify("workspace/didChangeConfiguration", new JsonObject { ["settings"] = new JsonObject { ["csharp"] = CSharpSettings } });
        return initialized?["capabilities"];
    }

    public void OpenDocument(string documentUri, string text)
        => Notify("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = documentUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text },
        });

    /// <summary><c>textDocument/diagnostic</c>: the items of the document's full report.</summary>
    public async Task<JsonArray> PullDiagnosticsAsync(string documentUri, TimeSpan timeout)
    {
        var report = await RequestAsync("textDocument/diagnostic", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = documentUri },
        }, timeout).ConfigureAwait(false);
        if ((string?)report?["kind"] != "full" || report["items"] is not JsonArray items)
        {
            throw Failure("textDocument/diagnostic did not answer a full report: " + report?.ToJsonString());
        }

        return items;
    }

    /// <summary>
    /// Pulls until the report satisfies <paramref name="done"/>, every half second for at most <paramref name="limit"/>:
    /// the server answers an empty report until it has loaded the workspace.
    /// </summary>
    public async Task<JsonArray> PullDiagnosticsUntilAsync(string documentUri, Func<JsonArray, bool> done, string what, TimeSpan limit, TimeSpan requestTimeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var items = await PullDiagnosticsAsync(documentUri, requestTimeout).ConfigureAwait(false);
            if (done(items))
            {
                return items;
            }

            if (clock.Elapsed > limit)
            {
                throw Failure($"{what} within {limit.TotalSeconds:F0} s; last report for {documentUri}: {items.ToJsonString()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        }
    }

    private static JsonObject InitializeParams(string rootDirectory)
    {
        var rootUri = new Uri(rootDirectory + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');
        return new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["clientInfo"] = new JsonObject { ["name"] = "KafkaAnalyzers.PackageTests" },
            ["rootUri"] = rootUri,
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = Path.GetFileName(rootDirectory) }),
            ["capabilities"] = new JsonObject
            {
                ["workspace"] = new JsonObject
                {
                    // The server asks for the `csharp` section (analyzersEnabled) through workspace/configuration.
                    ["configuration"] = true,
                    ["didChangeConfiguration"] = new JsonObject { ["dynamicRegistration"] = false },
                    ["workspaceEdit"] = new JsonObject { ["documentChanges"] = true },
                },
                ["textDocument"] = new JsonObject
                {
                    ["synchronization"] = new JsonObject { ["dynamicRegistration"] = false, ["didSave"] = true },
                    // Pull diagnostics (textDocument/diagnostic); csharp-ls then publishes none.
                    ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false, ["relatedDocumentSupport"] = false },
                    ["publishDiagnostics"] = new JsonObject { ["relatedInformation"] = true, ["codeDescriptionSupport"] = true },
                    ["codeAction"] = new JsonObject
                    {
                        ["dynamicRegistration"] = false,
                        ["codeActionLiteralSupport"] = new JsonObject
                        {
                            ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite", "source") },
                        },
                        ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                        ["dataSupport"] = true,
                        ["isPreferredSupport"] = true,
                    },
                },
            },
        };
    }
}
