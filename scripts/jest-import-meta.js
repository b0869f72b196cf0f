/**
 * A ts-jest AST transformer: `import.meta.dirname` and `import.meta.filename` become `__dirname` and
 * `__filename`. The sandbox is ES modules that Node runs as they are (type stripping) and finds its
 * files with import.meta; jest runs everything as CommonJS, where import.meta is a syntax error.
 */
'use strict';
exports.name = 'import-meta-dirname';
exports.version = 1;
exports.factory = ({ configSet }) => {
	const ts = configSet.compilerModule;
	return (context) => (sourceFile) => {
		const visit = (node) => {
			if (
				ts.isPropertyAccessExpression(node) &&
				ts.isMetaProperty(node.expression) &&
				node.expression.keywordToken === ts.SyntaxKind.ImportKeyword &&
				(node.name.text === 'dirname' || node.name.text === 'filename')
			) {
				return ts.factory.createIdentifier(`__${node.name.text}`);
			}
			return ts.visitEachChild(node, visit, context);
		};
		return ts.visitNode(sourceFile, visit);
	};
};
