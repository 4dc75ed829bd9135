"""The fast tree helpers give what the standard ones give."""

import ast

import gast

from s2sad.trees import Transformer, copy_tree, walk
from tests.compiler.test_emit import SOURCE


def test_walk_visits_the_nodes_of_ast_walk_in_its_order():
    tree = gast.parse(SOURCE)
    assert [id(n) for n in walk(tree)] == [id(n) for n in ast.walk(tree)]


def _rewriter(base):
    class Rewrite(base):
        """Drops ``pass``, doubles ``del``, renames ``x``, folds ``-1``; keeps constants."""

        def visit_Pass(self, node):
            return None

        def visit_Delete(self, node):
            return [node, copy_tree(node)]

        def visit_Name(self, node):
            return gast.Name(id="renamed", ctx=node.ctx, annotation=None,
                             type_comment=None) if node.id == "x" else node

        def visit_UnaryOp(self, node):
            self.generic_visit(node)
            if isinstance(node.operand, gast.Constant):
                return gast.Constant(value=-node.operand.value, kind=None)
            return node

    return Rewrite


def test_transformer_rewrites_as_the_node_transformer_does():
    ours = _rewriter(Transformer)().visit(gast.parse(SOURCE))
    theirs = _rewriter(gast.NodeTransformer)().visit(gast.parse(SOURCE))
    assert ast.dump(gast.gast_to_ast(ours)) == ast.dump(gast.gast_to_ast(theirs))
    assert "renamed" in ast.dump(gast.gast_to_ast(ours))
