// netstandard2.0 lacks IsExternalInit; declaring it internally enables records and init accessors
// without a package dependency.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
